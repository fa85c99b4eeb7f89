using Leadwire.Data;
using Microsoft.EntityFrameworkCore;

namespace Leadwire.Features.Jobs;

/// <summary>
/// What a handler gets: the claimed job, a DbContext of its own, and <see cref="CompleteAsync"/>, which writes the
/// handler's changes and the job's success in one transaction — the transactional outbox.
/// </summary>
public sealed class JobContext(ClaimedJob job, string owner, LeadwireDbContext db, WriteGate gate, JobCommitter committer, JobSignal signal, TimeProvider time)
{
    public ClaimedJob Job { get; } = job;
    public LeadwireDbContext Db { get; } = db;
    public TimeProvider Time { get; } = time;
    public WriteGate Gate { get; } = gate;
    public bool Completed { get; private set; }

    /// <summary>Set by <see cref="JobEnqueuer"/> when the transaction enqueues follow-up work.</summary>
    internal bool EnqueuedWork { get; set; }

    /// <summary>Runs <paramref name="writes"/>, saves, marks the job succeeded and commits, all or nothing.</summary>
    public async Task CompleteAsync(Func<LeadwireDbContext, Task>? writes, CancellationToken cancellationToken)
    {
        if (Completed)
        {
            throw new InvalidOperationException("The job is already complete.");
        }

        {
            using var permit = await Gate.EnterAsync(cancellationToken);
            await using var transaction = await Db.Database.BeginTransactionAsync(cancellationToken);
            if (writes is not null)
            {
                await writes(Db);
            }
            await Db.SaveChangesAsync(cancellationToken);

            var now = Time.GetUtcNow().UtcDateTime;
            var updated = await JobSuccess.MarkAsync(Db, [Job.Id], owner, now, cancellationToken);
            if (updated == 0)
            {
                throw new JobLeaseLostException(Job.Id);
            }
            await transaction.CommitAsync(cancellationToken);
        }

        Completed = true;
        WakeIfEnqueued();
    }

    /// <summary>
    /// Like <see cref="CompleteAsync"/>, but shares a transaction with other jobs finishing at the same moment (group
    /// commit). <paramref name="writes"/> must use only the context it is given, not <see cref="Db"/>.
    /// </summary>
    public async Task CompleteInGroupAsync(Func<LeadwireDbContext, Task>? writes, CancellationToken cancellationToken)
    {
        if (Completed)
        {
            throw new InvalidOperationException("The job is already complete.");
        }
        await committer.CommitAsync(Job, owner, writes, cancellationToken);
        Completed = true;
        WakeIfEnqueued();
    }

    /// <summary>After a commit that enqueued work, wake the runners (here and, on PostgreSQL, elsewhere).</summary>
    public void WakeIfEnqueued()
    {
        if (EnqueuedWork)
        {
            EnqueuedWork = false;
            signal.Wake();
        }
    }
}
