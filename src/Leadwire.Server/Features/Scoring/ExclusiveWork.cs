using Leadwire.Data;
using Leadwire.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Leadwire.Features.Scoring;

/// <summary>
/// Set-based background work that must not run twice at once (two instances linking the same new leads would
/// create two contacts for one person). PostgreSQL: a transaction-scoped advisory lock, released by the commit, so
/// a second instance waits and then sees the first one's result. SQLite: one process, and the write gate the caller
/// holds already lets one writer in at a time.
/// </summary>
public static class ExclusiveWork
{
    /// <summary>Contact linking and automatic assignment of newly stored leads.</summary>
    public const long LeadIntake = 0x4C57_0001;

    /// <summary>Marking first-contact SLA breaches.</summary>
    public const long SlaBreaches = 0x4C57_0002;

    /// <summary>Call first thing inside the write transaction.</summary>
    public static async Task LockAsync(LeadwireDbContext db, DatabaseDialect dialect, long key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(dialect);
        if (dialect.Provider == DatabaseProvider.Postgres)
        {
            await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({key})", cancellationToken);
        }
    }
}
