using System.Data.Common;
using Leadwire.Infrastructure;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Leadwire.Data;

/// <summary>The few places where SQLite and PostgreSQL differ: how jobs are claimed and how conflicts look.</summary>
public abstract class DatabaseDialect
{
    public abstract DatabaseProvider Provider { get; }

    /// <summary>
    /// Claims due pending jobs for one runner, marking them running. Only the (status, run_after) index is touched:
    /// jobs whose lease ran out are returned to pending separately (<see cref="ReleaseExpiredLeasesSql"/>), so a claim
    /// never scans the history of finished jobs.
    /// </summary>
    public abstract string ClaimJobsSql { get; }

    public abstract bool IsUniqueViolation(Exception exception);

    public static DatabaseDialect For(DatabaseProvider provider) => provider switch
    {
        DatabaseProvider.Postgres => new PostgresDialect(),
        _ => new SqliteDialect(),
    };

    /// <summary>Returns jobs whose runner stopped renewing their lease (it crashed) to the queue; {0} is now.</summary>
    public const string ReleaseExpiredLeasesSql =
        """
        UPDATE jobs SET status = 'Pending', lease_owner = NULL, lease_expires_at = NULL, updated_at = {0}
        WHERE status = 'Running' AND lease_expires_at < {0}
        """;

    private const string ClaimCandidates =
        """
        SELECT id FROM jobs
        WHERE status = 'Pending' AND run_after <= @now
        ORDER BY run_after
        LIMIT @limit
        """;

    private static string ClaimUpdate(string candidates) =>
        $"""
        UPDATE jobs
        SET status = 'Running', lease_owner = @owner, lease_expires_at = @lease_until,
            attempts = attempts + 1, updated_at = @now
        WHERE id IN ({candidates})
        RETURNING id, kind, payload, page_id, attempts, max_attempts, created_at
        """;

    private sealed class SqliteDialect : DatabaseDialect
    {
        public override DatabaseProvider Provider => DatabaseProvider.Sqlite;

        // One process owns a SQLite file, and its runner is the only claimer, so no row locking is needed.
        public override string ClaimJobsSql { get; } = ClaimUpdate(ClaimCandidates);

        public override bool IsUniqueViolation(Exception exception) =>
            Find<SqliteException>(exception) is { SqliteErrorCode: 19, SqliteExtendedErrorCode: 2067 or 1555 };
    }

    private sealed class PostgresDialect : DatabaseDialect
    {
        public override DatabaseProvider Provider => DatabaseProvider.Postgres;

        // SKIP LOCKED lets several instances claim side by side without waiting on or taking each other's rows.
        public override string ClaimJobsSql { get; } =
            ClaimUpdate(ClaimCandidates + "\nFOR UPDATE SKIP LOCKED");

        public override bool IsUniqueViolation(Exception exception) =>
            Find<PostgresException>(exception) is { SqlState: PostgresErrorCodes.UniqueViolation };
    }

    private static T? Find<T>(Exception? exception) where T : DbException
    {
        for (; exception is not null; exception = exception.InnerException)
        {
            if (exception is T match)
            {
                return match;
            }
        }
        return null;
    }
}
