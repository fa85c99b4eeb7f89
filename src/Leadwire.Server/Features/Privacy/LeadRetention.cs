using Leadwire.Data;
using Leadwire.Features.Audit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Leadwire.Features.Privacy;

/// <summary>
/// Each workspace's retention policy: leads created (by Meta's <c>created_time</c>) more than <c>retention_days</c>
/// ago are erased, a batch per transaction, with one audit line per batch (a count, not a line per lead).
/// </summary>
public sealed partial class LeadRetention(
    IServiceScopeFactory scopes, LeadEraser eraser, WriteGate gate, AuditLog audit, TimeProvider time, IOptionsMonitor<PrivacyOptions> options,
    ILogger<LeadRetention> logger)
{
    public const string Actor = "retention";

    /// <summary>Erases every lead past its workspace's retention; returns how many.</summary>
    public async Task<int> ApplyAsync(CancellationToken cancellationToken)
    {
        List<Policy> policies;
        await using (var scope = scopes.CreateAsyncScope())
        {
            policies = await scope.ServiceProvider.GetRequiredService<LeadwireDbContext>().Workspaces.AsNoTracking()
                .Where(w => w.RetentionDays != null)
                .Select(w => new Policy(w.Id, w.RetentionDays!.Value))
                .ToListAsync(cancellationToken);
        }

        var total = 0;
        foreach (var policy in policies)
        {
            var erased = await ApplyAsync(policy, cancellationToken);
            if (erased > 0)
            {
                LogErased(logger, erased, policy.WorkspaceId, policy.Days);
            }
            total += erased;
        }
        return total;
    }

    private async Task<int> ApplyAsync(Policy policy, CancellationToken cancellationToken)
    {
        var batch = options.CurrentValue.EraseBatchSize;
        var createdBefore = time.GetUtcNow().UtcDateTime.AddDays(-policy.Days);
        var total = 0;
        int erased;
        do
        {
            // A fresh context per batch keeps the change tracker small on a large first run.
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<LeadwireDbContext>();
            erased = 0;
            await db.InWriteTransactionAsync(gate, async () =>
            {
                var ids = await db.Leads
                    .Where(l => l.WorkspaceId == policy.WorkspaceId && l.ErasedAt == null && l.CreatedTime < createdBefore)
                    .OrderBy(l => l.CreatedTime).ThenBy(l => l.Id)
                    .Select(l => l.Id).Take(batch)
                    .ToListAsync(cancellationToken);
                erased = (await eraser.EraseAsync(db, ids, null, Actor, cancellationToken)).Count;
                if (erased > 0)
                {
                    audit.Record(db, null, Actor, policy.WorkspaceId, "lead.erased", "workspace", policy.WorkspaceId.ToString(System.Globalization.CultureInfo.InvariantCulture),
                        new { count = erased, retention_days = policy.Days, created_before = createdBefore });
                }
            }, cancellationToken);
            total += erased;
        }
        while (erased == batch && !cancellationToken.IsCancellationRequested);
        return total;
    }

    private sealed record Policy(long WorkspaceId, int Days);

    [LoggerMessage(Level = LogLevel.Information, Message = "Retention: erased {Count} leads of workspace {WorkspaceId} older than {Days} days")]
    private static partial void LogErased(ILogger logger, int count, long workspaceId, int days);
}
