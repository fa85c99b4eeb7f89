using Leadwire.Data;
using Leadwire.Features.Jobs;
using Leadwire.Features.Live;
using Leadwire.Features.Pages;
using Leadwire.Meta;
using Microsoft.EntityFrameworkCore;

namespace Leadwire.Features.Leads;

/// <summary>
/// Reads one lead from the Graph API with its page's token and stores it. Idempotent: a lead already stored (by
/// reconciliation, or an earlier attempt) ends the job without a second row or a second set of follow-up work.
/// </summary>
public sealed class FetchLead(GraphClient graph, PageTokens tokens, PageLookup pages, JobEnqueuer queue, LeadIntake intake, LiveEvents live) : IJobHandler
{
    public const string Kind = "lead.fetch";

    public sealed record Payload(string LeadgenId, string PageId, string? FormId, string? AdId, DateTime? CreatedTime);

    public static string DedupeKey(string leadgenId) => $"{Kind}:{leadgenId}";

    string IJobHandler.Kind => Kind;

    // Compiled once per host (a compiled query belongs to one model): it runs for every lead, and a compiled query
    // skips the expression-tree cache lookup.
    private readonly Func<LeadwireDbContext, string, Task<bool>> _leadExists =
        EF.CompileAsyncQuery((LeadwireDbContext db, string metaLeadId) => db.Leads.Any(l => l.MetaLeadId == metaLeadId));

    public async Task HandleAsync(JobContext context, CancellationToken cancellationToken)
    {
        var payload = JobJson.Read<Payload>(context.Job);
        var db = context.Db;
        if (await _leadExists(db, payload.LeadgenId))
        {
            return;
        }

        var page = await pages.PageAsync(db, payload.PageId)
            ?? throw new PermanentJobFailureException($"Unknown page {payload.PageId}: register it, then replay this job.");
        if (page.Status == PageStatus.NeedsReauth)
        {
            throw new JobParkedException($"Page {page.MetaPageId} needs re-authorisation: {page.StatusReason}");
        }

        var graphLead = await graph.GetLeadAsync(payload.LeadgenId, tokens.Unprotect(page.AccessTokenProtected), page.MetaPageId, cancellationToken);

        var metaFormId = graphLead.FormId ?? payload.FormId;
        var form = metaFormId is null ? null : await pages.FormAsync(db, metaFormId);

        var now = context.Time.GetUtcNow().UtcDateTime;
        var lead = LeadMapper.Map(graphLead, new MapContext(
            page.WorkspaceId, page.Id, page.MetaPageId, form?.Id, metaFormId, form?.QuestionsJson, LeadSource.Webhook, now, payload.CreatedTime ?? now));

        LeadIntake.Prepare(lead, await intake.RulesAsync(db, page.WorkspaceId, cancellationToken), now);
        long? intakeBucket = null;
        await context.CompleteInGroupAsync(async writeDb =>
        {
            // Stamped as it goes into the commit (not when it was mapped), so stored_at does not flatter latency.
            lead.StoredAt = context.Time.GetUtcNow().UtcDateTime;
            writeDb.QueueLeadInsert(lead);
            intakeBucket = await intake.EnqueueFollowUpAsync(writeDb, cancellationToken);
            if (form is null && metaFormId is not null)
            {
                // A form Leadwire has not seen yet (created after the page was registered): fetch its questions once.
                await queue.EnqueueUniqueAsync(context, writeDb, SyncPageForms.Kind, new SyncPageForms.Payload(page.Id),
                    $"{SyncPageForms.Kind}:{page.Id}:{metaFormId}", page.Id, cancellationToken);
            }
        }, cancellationToken);
        intake.Committed(intakeBucket);
        live.Publish(new LiveEvent(LiveEventTypes.LeadCreated, page.WorkspaceId, lead.Id, lead.AssigneeUserId, lead.StoredAt));
    }
}
