using Leadwire.Data;
using Leadwire.Features.Jobs;
using Microsoft.EntityFrameworkCore;

namespace Leadwire.Features.Scoring;

/// <summary>
/// After a workspace's rules change, rescores all its leads in id order, a few batches per run, each run handing
/// the rest to a follow-up job with its checkpoint, so 100k leads never make one long transaction or one long job.
/// </summary>
public sealed class RescoreWorkspaceLeads(ScoringRulesCache rulesCache, JobEnqueuer queue) : IJobHandler
{
    public const string Kind = "scoring.rescore";

    private const int BatchesPerRun = 10;

    public sealed record Payload(long WorkspaceId, long AfterId);

    string IJobHandler.Kind => Kind;

    public async Task HandleAsync(JobContext context, CancellationToken cancellationToken)
    {
        var payload = JobJson.Read<Payload>(context.Job);
        var db = context.Db;
        // Fresh from the database: the change that started this job may have been made on another instance.
        var rules = await rulesCache.ReadFreshAsync(db, payload.WorkspaceId, cancellationToken);

        var after = payload.AfterId;
        var finished = false;
        for (var batch = 0; batch < BatchesPerRun && !finished; batch++)
        {
            var ids = await db.Leads.AsNoTracking()
                .Where(l => l.WorkspaceId == payload.WorkspaceId && l.ErasedAt == null && l.Id > after)
                .OrderBy(l => l.Id).Select(l => l.Id).Take(LeadRescorer.BatchSize)
                .ToListAsync(cancellationToken);
            finished = ids.Count < LeadRescorer.BatchSize;
            if (ids.Count == 0)
            {
                break;
            }
            var now = context.Time.GetUtcNow().UtcDateTime;
            var changes = await LeadRescorer.ComputeAsync(db, ids, _ => rules, now, cancellationToken);
            if (changes.Count > 0)
            {
                await db.InWriteTransactionAsync(context.Gate, () => LeadRescorer.WriteAsync(db, changes, now, cancellationToken), cancellationToken);
            }
            after = ids[^1];
        }

        await context.CompleteAsync(finished ? null : writeDb =>
        {
            queue.Enqueue(writeDb, Kind, new Payload(payload.WorkspaceId, after));
            return Task.CompletedTask;
        }, cancellationToken);
    }
}
