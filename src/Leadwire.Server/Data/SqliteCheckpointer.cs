using System.Data.Common;
using Microsoft.EntityFrameworkCore;

namespace Leadwire.Data;

/// <summary>
/// Copies SQLite's write-ahead log back into the database file from a connection of its own, a few times a second.
/// SQLite's automatic checkpoint (switched off in <see cref="SqlitePragmas"/>) runs inside whichever commit crosses
/// the threshold, so a webhook acknowledgement would now and then wait for a checkpoint and its fsyncs. A passive
/// checkpoint here never blocks writers or readers; the log is reused once a checkpoint has caught up.
/// </summary>
internal sealed partial class SqliteCheckpointer(IServiceScopeFactory scopes, ILogger<SqliteCheckpointer> logger)
    : BackgroundService
{
    /// <summary>How often the log is checkpointed; at the inbox's peak it grows by a few megabytes a second.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(200);

    // SQLite calls are synchronous underneath their async signatures, and a checkpoint waits for fsyncs: on a
    // thread-pool thread it would hold one of the few (two on a 2-core machine) that serve webhooks. So it gets a
    // thread of its own and blocks only that.
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.Factory.StartNew(() => Run(stoppingToken), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    private void Run(CancellationToken stoppingToken)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<LeadwireDbContext>();
        db.Database.OpenConnection();
        var connection = db.Database.GetDbConnection();
        while (!stoppingToken.WaitHandle.WaitOne(Interval))
        {
            Checkpoint(connection, "PASSIVE");
        }
        // On the way out, leave an empty log behind.
        Checkpoint(connection, "TRUNCATE");
    }

    private void Checkpoint(DbConnection connection, string mode)
    {
        try
        {
            using var command = connection.CreateCommand();
            command.CommandText = $"PRAGMA wal_checkpoint({mode})";
            command.ExecuteNonQuery();
        }
        catch (DbException e)
        {
            // The next tick tries again; a log that is not checkpointed only grows, nothing is lost.
            LogCheckpointFailed(logger, e);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "SQLite checkpoint failed; retrying on the next tick")]
    private static partial void LogCheckpointFailed(ILogger logger, Exception exception);
}
