using System.Data.Common;
using Leadwire.Data;
using Leadwire.Infrastructure;
using Leadwire.Features.Pages;
using Leadwire.Features.Webhooks;
using Leadwire.Meta;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Leadwire.Features.Jobs;

/// <summary>
/// Claims due jobs with a lease, runs them concurrently, and settles each by kind of outcome: success, retry with
/// backoff, wait out a rate limit, park until re-authorisation, or dead-letter. Runs in every instance; on
/// PostgreSQL the claim skips rows other instances hold, so they share the work.
/// </summary>
public sealed partial class JobRunner(
    IServiceScopeFactory scopes,
    IEnumerable<IJobHandler> handlers,
    DatabaseDialect dialect,
    WriteGate gate,
    JobCommitter committer,
    JobSignal signal,
    WebhookInbox inbox,
    PageLookup pages,
    TimeProvider time,
    IOptionsMonitor<JobOptions> options,
    ILogger<JobRunner> logger) : BackgroundService
{
    private readonly Dictionary<string, IJobHandler> _handlers = handlers.ToDictionary(h => h.Kind, StringComparer.Ordinal);
    private readonly string _owner = OwnerName();
    private readonly HashSet<long> _inFlight = [];
    private readonly Lock _inFlightLock = new();

    public string Owner => _owner;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.CurrentValue.RunnerEnabled)
        {
            logger.LogWarning("The job runner is disabled (Leadwire:Jobs:RunnerEnabled=false); work is stored but not processed.");
            return;
        }

        await RecoverOwnCrashAsync(stoppingToken);
        using var leaseRenewal = new PeriodicTimer(options.CurrentValue.LeaseDuration / 3, time);
        var renewal = RenewLeasesAsync(leaseRenewal, stoppingToken);

        var running = new List<Task>();
        while (!stoppingToken.IsCancellationRequested)
        {
            running.RemoveAll(t => t.IsCompleted);
            var settings = options.CurrentValue;
            var yielding = settings.IngressYieldThreshold > 0 && inbox.RecentRate > settings.IngressYieldThreshold;
            if (yielding && settings.IngressYieldPause > TimeSpan.Zero && running.Count > 0)
            {
                // Acknowledgement first: let the running job end, then rest, so the endpoint keeps most of the CPU.
                await Task.WhenAny(running);
                await RestAsync(settings.IngressYieldPause, stoppingToken);
                continue;
            }
            var concurrency = yielding ? Math.Min(settings.IngressYieldConcurrency, settings.Concurrency) : settings.Concurrency;
            var free = concurrency - running.Count;
            // Claim in groups rather than one slot at a time: each claim is a write, and on SQLite writes queue.
            var threshold = Math.Max(1, concurrency / 4);
            var claimed = 0;
            if (free >= threshold || (free > 0 && running.Count == 0))
            {
                try
                {
                    foreach (var job in await ClaimAsync(Math.Min(free, 64), stoppingToken))
                    {
                        claimed++;
                        running.Add(Task.Run(() => ExecuteJobAsync(job, stoppingToken), CancellationToken.None));
                    }
                }
                catch (Exception e) when (e is DbException or InvalidOperationException or DbUpdateException && !stoppingToken.IsCancellationRequested)
                {
                    LogClaimFailed(logger, e);
                }
            }

            if (claimed == 0 || free - claimed < threshold)
            {
                // New work and finished jobs both signal (every job wakes the loop as it ends), so one wait covers both.
                await signal.WaitAsync(options.CurrentValue.PollInterval, stoppingToken);
            }
        }

        await Task.WhenAll(running);
        await renewal;
    }

    /// <summary>Waits the whole pause (new work does not cut it short); ends early only on shutdown.</summary>
    private async Task RestAsync(TimeSpan pause, CancellationToken stoppingToken)
    {
        try
        {
            await Task.Delay(pause, time, stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: the loop checks the token.
        }
    }

    private async Task<List<ClaimedJob>> ClaimAsync(int limit, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<LeadwireDbContext>();
        var now = time.GetUtcNow().UtcDateTime;
        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            using var permit = await gate.EnterAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            command.CommandText = dialect.ClaimJobsSql;
            command.AddParameter("@now", now);
            command.AddParameter("@limit", limit);
            command.AddParameter("@owner", _owner);
            command.AddParameter("@lease_until", now + options.CurrentValue.LeaseDuration);
            var jobs = new List<ClaimedJob>();
            await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
            {
                while (await reader.ReadAsync(cancellationToken))
                {
                    jobs.Add(new ClaimedJob(
                        reader.GetInt64(0), reader.GetString(1), reader.GetString(2),
                        reader.IsDBNull(3) ? null : reader.GetInt64(3), reader.GetInt32(4), reader.GetInt32(5),
                        DateTime.SpecifyKind(reader.GetDateTime(6), DateTimeKind.Utc)));
                }
            }
            lock (_inFlightLock)
            {
                foreach (var job in jobs)
                {
                    _inFlight.Add(job.Id);
                }
            }
            return jobs;
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    private async Task ExecuteJobAsync(ClaimedJob job, CancellationToken stoppingToken)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<LeadwireDbContext>();
            if (!_handlers.TryGetValue(job.Kind, out var handler))
            {
                await SettleAsync(db, job, null, JobStatus.Dead, null, $"No handler for job kind '{job.Kind}'.", stoppingToken);
                return;
            }

            var context = new JobContext(job, _owner, db, gate, committer, signal, time);
            try
            {
                await handler.HandleAsync(context, stoppingToken);
                if (!context.Completed)
                {
                    await context.CompleteInGroupAsync(null, stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                // Shutting down: release the job so the next start (or another instance) takes it at once.
                db.ChangeTracker.Clear();
                await SettleAsync(db, job, handler, JobStatus.Pending, time.GetUtcNow().UtcDateTime, null, CancellationToken.None, countAttempt: false);
            }
            catch (Exception e)
            {
                db.ChangeTracker.Clear();
                await HandleFailureAsync(db, job, handler, e, stoppingToken);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The failure could not even be recorded (database gone); the lease will expire and the job run again.
            LogSettleFailed(logger, job.Id, job.Kind, e);
        }
        finally
        {
            lock (_inFlightLock)
            {
                _inFlight.Remove(job.Id);
            }
            signal.WakeLocal();
        }
    }

    private async Task HandleFailureAsync(LeadwireDbContext db, ClaimedJob job, IJobHandler handler, Exception e, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var settings = options.CurrentValue;
        switch (e)
        {
            case GraphRateLimitedException limited:
                {
                    // Waiting out Meta's limit is not the job's fault, so it does not use up an attempt.
                    var wait = limited.RetryAfter ?? Backoff.Delay(job.Attempts, settings.RateLimitFallbackDelay, settings.BackoffMax * 4, Random.Shared.NextDouble());
                    LogRateLimited(logger, job.Id, job.Kind, wait);
                    await SettleAsync(db, job, handler, JobStatus.Pending, now + wait, limited.Message, cancellationToken, countAttempt: false);
                    break;
                }
            case GraphAuthException auth:
                {
                    if (job.PageId is { } pageId)
                    {
                        await MarkPageNeedsReauthAsync(db, pageId, auth.Message, now, cancellationToken);
                    }
                    LogParked(logger, job.Id, job.Kind, auth.Message);
                    await SettleAsync(db, job, handler, job.PageId is null ? JobStatus.Dead : JobStatus.Parked, null, auth.Message, cancellationToken, countAttempt: false);
                    break;
                }
            case JobParkedException parked:
                LogParked(logger, job.Id, job.Kind, parked.Message);
                await SettleAsync(db, job, handler, JobStatus.Parked, null, parked.Message, cancellationToken, countAttempt: false);
                break;
            case PermanentJobFailureException or GraphPermanentException or GraphPermissionException:
                LogDead(logger, job.Id, job.Kind, e.Message);
                await SettleAsync(db, job, handler, JobStatus.Dead, null, e.Message, cancellationToken);
                break;
            case JobLeaseLostException:
                LogLeaseLost(logger, job.Id, job.Kind);
                break;
            default:
                {
                    var reason = e is GraphException or DbUpdateException or DbException or HttpRequestException
                        ? e.Message
                        : $"{e.GetType().Name}: {e.Message}";
                    if (dialect.IsUniqueViolation(e))
                    {
                        reason = $"Conflict with a concurrent write, will retry: {reason}";
                    }
                    if (job.Attempts >= job.MaxAttempts)
                    {
                        LogDead(logger, job.Id, job.Kind, reason);
                        await SettleAsync(db, job, handler, JobStatus.Dead, null, $"Gave up after {job.Attempts} attempts: {reason}", cancellationToken);
                    }
                    else
                    {
                        var delay = Backoff.Delay(job.Attempts, settings.BackoffBase, settings.BackoffMax, Random.Shared.NextDouble());
                        LogRetry(logger, job.Id, job.Kind, job.Attempts, delay, reason);
                        await SettleAsync(db, job, handler, JobStatus.Pending, now + delay, reason, cancellationToken);
                    }
                    break;
                }
        }
    }

    private async Task SettleAsync(
        LeadwireDbContext db, ClaimedJob job, IJobHandler? handler, JobStatus status, DateTime? runAfter, string? error,
        CancellationToken cancellationToken, bool countAttempt = true)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var truncated = error is { Length: > 4000 } ? error[..4000] : error;
        var attemptsDelta = countAttempt ? 0 : -1;
        using var permit = await gate.EnterAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var updated = await db.Jobs
            .Where(j => j.Id == job.Id && j.LeaseOwner == _owner && j.Status == JobStatus.Running)
            .ExecuteUpdateAsync(s => s
                .SetProperty(j => j.Status, status)
                .SetProperty(j => j.RunAfter, j => runAfter ?? j.RunAfter)
                .SetProperty(j => j.Attempts, j => j.Attempts + attemptsDelta)
                .SetProperty(j => j.LastError, truncated)
                .SetProperty(j => j.UpdatedAt, now)
                .SetProperty(j => j.CompletedAt, status == JobStatus.Dead ? now : (DateTime?)null)
                .SetProperty(j => j.LeaseOwner, (string?)null)
                .SetProperty(j => j.LeaseExpiresAt, (DateTime?)null), cancellationToken);
        if (updated > 0 && status == JobStatus.Dead && handler is not null)
        {
            await handler.OnDeadLetteredAsync(db, job, truncated ?? "dead-lettered", cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
    }

    private async Task MarkPageNeedsReauthAsync(LeadwireDbContext db, long pageId, string reason, DateTime now, CancellationToken cancellationToken)
    {
        using var permit = await gate.EnterAsync(cancellationToken);
        await db.Pages
            .Where(p => p.Id == pageId)
            .ExecuteUpdateAsync(s => s
                .SetProperty(p => p.Status, PageStatus.NeedsReauth)
                .SetProperty(p => p.StatusReason, reason.Length > 1000 ? reason[..1000] : reason)
                .SetProperty(p => p.UpdatedAt, now), cancellationToken);
        pages.Forget();
    }

    /// <summary>SQLite has one process per file, so anything still marked running was ours when we crashed.</summary>
    private async Task RecoverOwnCrashAsync(CancellationToken cancellationToken)
    {
        if (dialect.Provider != DatabaseProvider.Sqlite)
        {
            return;
        }
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<LeadwireDbContext>();
        using var permit = await gate.EnterAsync(cancellationToken);
        var recovered = await db.Jobs
            .Where(j => j.Status == JobStatus.Running)
            .ExecuteUpdateAsync(s => s
                .SetProperty(j => j.Status, JobStatus.Pending)
                .SetProperty(j => j.LeaseOwner, (string?)null)
                .SetProperty(j => j.LeaseExpiresAt, (DateTime?)null), cancellationToken);
        if (recovered > 0)
        {
            logger.LogWarning("Recovered {Count} jobs that were running when the previous process stopped.", recovered);
        }
    }

    /// <summary>
    /// Keeps long jobs (a big reconciliation) from being taken over while they are still running, and returns the jobs
    /// of runners that stopped renewing (crashed instances) to the queue.
    /// </summary>
    private async Task RenewLeasesAsync(PeriodicTimer timer, CancellationToken cancellationToken)
    {
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                long[] ids;
                lock (_inFlightLock)
                {
                    ids = [.. _inFlight];
                }
                try
                {
                    await using var scope = scopes.CreateAsyncScope();
                    var db = scope.ServiceProvider.GetRequiredService<LeadwireDbContext>();
                    var now = time.GetUtcNow().UtcDateTime;
                    var until = now + options.CurrentValue.LeaseDuration;
                    using var permit = await gate.EnterAsync(cancellationToken);
                    if (ids.Length > 0)
                    {
                        await db.Jobs
                            .Where(j => ids.Contains(j.Id) && j.LeaseOwner == _owner && j.Status == JobStatus.Running)
                            .ExecuteUpdateAsync(s => s.SetProperty(j => j.LeaseExpiresAt, until), cancellationToken);
                    }
                    var released = await db.Database.ExecuteSqlRawAsync(DatabaseDialect.ReleaseExpiredLeasesSql, [now], cancellationToken);
                    if (released > 0)
                    {
                        LogLeasesReleased(logger, released);
                        signal.WakeLocal();
                    }
                }
                catch (Exception e) when (e is DbException or DbUpdateException or InvalidOperationException)
                {
                    LogClaimFailed(logger, e);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Shutting down.
        }
    }

    private static string OwnerName()
    {
        var name = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}";
        return name.Length > 128 ? name[^128..] : name;
    }


    [LoggerMessage(Level = LogLevel.Error, Message = "Claiming or renewing jobs failed; will try again")]
    private static partial void LogClaimFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not record the outcome of job {JobId} ({Kind}); its lease will expire and it will run again")]
    private static partial void LogSettleFailed(ILogger logger, long jobId, string kind, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {JobId} ({Kind}) rate limited by Meta; waiting {Wait}")]
    private static partial void LogRateLimited(ILogger logger, long jobId, string kind, TimeSpan wait);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {JobId} ({Kind}) parked: {Reason}")]
    private static partial void LogParked(ILogger logger, long jobId, string kind, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Job {JobId} ({Kind}) dead-lettered: {Reason}")]
    private static partial void LogDead(ILogger logger, long jobId, string kind, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {JobId} ({Kind}) attempt {Attempt} failed; retrying in {Delay}: {Reason}")]
    private static partial void LogRetry(ILogger logger, long jobId, string kind, int attempt, TimeSpan delay, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Returned {Count} jobs of a runner that stopped renewing its leases to the queue")]
    private static partial void LogLeasesReleased(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {JobId} ({Kind}) lost its lease to another runner; its writes were rolled back")]
    private static partial void LogLeaseLost(ILogger logger, long jobId, string kind);
}
