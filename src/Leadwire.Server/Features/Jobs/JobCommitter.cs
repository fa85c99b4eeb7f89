using System.Threading.Channels;
using Leadwire.Data;
using Microsoft.EntityFrameworkCore;

namespace Leadwire.Features.Jobs;

/// <summary>
/// Group commit for job completions: many finished jobs' writes and their success go into one transaction. On
/// SQLite, where writes queue one at a time, this is what lets lead fetches finish at thousands per second. If a
/// group fails (say one lead collides with a concurrent insert), each job is committed on its own, so one job's
/// trouble never fails another.
/// </summary>
public sealed partial class JobCommitter(IServiceScopeFactory scopes, WriteGate gate, TimeProvider time, ILogger<JobCommitter> logger) : BackgroundService
{
    private const int MaxGroup = 16;

    private readonly Channel<Completion> _completions = Channel.CreateUnbounded<Completion>(new UnboundedChannelOptions { SingleReader = true });

    /// <summary>Commits <paramref name="writes"/> (which must use only the context it is given) with the job's success.</summary>
    public async Task CommitAsync(ClaimedJob job, string owner, Func<LeadwireDbContext, Task>? writes, CancellationToken cancellationToken)
    {
        var completion = new Completion(job, owner, writes);
        await _completions.Writer.WriteAsync(completion, cancellationToken);
        await completion.Done.Task.WaitAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var group = new List<Completion>(MaxGroup);
        while (await _completions.Reader.WaitToReadAsync(CancellationToken.None))
        {
            while (group.Count < MaxGroup && _completions.Reader.TryRead(out var completion))
            {
                group.Add(completion);
            }
            await CommitGroupAsync(group);
            group.Clear();
            if (stoppingToken.IsCancellationRequested && _completions.Reader.Count == 0)
            {
                break;
            }
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        _completions.Writer.TryComplete();
        await base.StopAsync(cancellationToken);
    }

    private async Task CommitGroupAsync(List<Completion> group)
    {
        try
        {
            await CommitAsync(group);
            foreach (var completion in group)
            {
                completion.Done.TrySetResult();
            }
        }
        catch (Exception e) when (group.Count > 1)
        {
            LogGroupFailed(logger, group.Count, e);
            foreach (var completion in group)
            {
                await CommitGroupAsync([completion]);
            }
        }
        catch (Exception e)
        {
            group[0].Done.TrySetException(e);
        }
    }

    private async Task CommitAsync(List<Completion> group)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<LeadwireDbContext>();
        using var permit = await gate.EnterAsync(CancellationToken.None);
        await using var transaction = await db.Database.BeginTransactionAsync(CancellationToken.None);
        foreach (var completion in group)
        {
            if (completion.Writes is not null)
            {
                await completion.Writes(db);
            }
        }
        await db.SaveChangesAsync(CancellationToken.None);

        var now = time.GetUtcNow().UtcDateTime;
        foreach (var byOwner in group.GroupBy(c => c.Owner))
        {
            var ids = byOwner.Select(c => c.Job.Id).ToList();
            var updated = await JobSuccess.MarkAsync(db, ids, byOwner.Key, now, CancellationToken.None);
            if (updated < ids.Count)
            {
                // Another runner took some of these over after their lease ran out; what they write is idempotent.
                LogLeasesLost(logger, ids.Count - updated);
            }
        }
        await transaction.CommitAsync(CancellationToken.None);
    }

    private sealed record Completion(ClaimedJob Job, string Owner, Func<LeadwireDbContext, Task>? Writes)
    {
        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A group of {Count} job completions failed together; committing them one by one")]
    private static partial void LogGroupFailed(ILogger logger, int count, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Count} completed jobs had lost their lease to another runner")]
    private static partial void LogLeasesLost(ILogger logger, int count);
}
