using Leadwire.Data;
using Microsoft.EntityFrameworkCore;

namespace Leadwire.Features.Jobs;

/// <summary>Marks jobs succeeded, but only those this runner still holds: a lost lease is never overwritten.</summary>
internal static class JobSuccess
{
    /// <returns>How many of <paramref name="ids"/> were still held by <paramref name="owner"/>.</returns>
    public static Task<int> MarkAsync(LeadwireDbContext db, IReadOnlyCollection<long> ids, string owner, DateTime now, CancellationToken cancellationToken) =>
        db.Jobs
            .Where(j => ids.Contains(j.Id) && j.LeaseOwner == owner && j.Status == JobStatus.Running)
            .ExecuteUpdateAsync(s => s
                .SetProperty(j => j.Status, JobStatus.Succeeded)
                .SetProperty(j => j.CompletedAt, now)
                .SetProperty(j => j.UpdatedAt, now)
                .SetProperty(j => j.LeaseOwner, (string?)null)
                .SetProperty(j => j.LeaseExpiresAt, (DateTime?)null)
                .SetProperty(j => j.LastError, (string?)null), cancellationToken);
}
