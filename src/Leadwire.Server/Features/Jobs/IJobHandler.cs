using Leadwire.Data;

namespace Leadwire.Features.Jobs;

/// <summary>Runs one kind of job. Remote calls happen before <see cref="JobContext.CompleteAsync"/>; writes inside it.</summary>
public interface IJobHandler
{
    string Kind { get; }

    Task HandleAsync(JobContext context, CancellationToken cancellationToken);

    /// <summary>Called in the dead-lettering transaction, so the job's subject can record why.</summary>
    Task OnDeadLetteredAsync(LeadwireDbContext db, ClaimedJob job, string reason, CancellationToken cancellationToken) => Task.CompletedTask;
}

/// <summary>A job as claimed by a runner.</summary>
public sealed record ClaimedJob(long Id, string Kind, string Payload, long? PageId, int Attempts, int MaxAttempts, DateTime CreatedAt);
