using Leadwire.Data;
using Leadwire.Features.Jobs;
using Leadwire.Features.Leads;
using Leadwire.Features.Live;
using Leadwire.Features.Pages;
using Leadwire.Infrastructure;
using Leadwire.Meta;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Leadwire.Features.Reconciliation;

/// <summary>
/// Reads a form's leads from Meta since its checkpoint (minus an overlap) and stores any the webhooks missed.
/// The checkpoint moves only when the whole window was read, and never past a lead that could not be stored.
/// </summary>
public sealed partial class ReconcileForm(
    GraphClient graph, PageTokens tokens, LeadIntake intake, LiveEvents live, IOptionsMonitor<ReconciliationOptions> options, DatabaseDialect dialect, ILogger<ReconcileForm> logger) : IJobHandler
{
    public const string Kind = "form.reconcile";

    public sealed record Payload(long FormId);

    string IJobHandler.Kind => Kind;

    public async Task HandleAsync(JobContext context, CancellationToken cancellationToken)
    {
        var settings = options.CurrentValue;
        var payload = JobJson.Read<Payload>(context.Job);
        var db = context.Db;
        var form = await db.Forms.Include(f => f.Page).SingleOrDefaultAsync(f => f.Id == payload.FormId, cancellationToken)
            ?? throw new PermanentJobFailureException($"Form {payload.FormId} no longer exists.");
        var page = form.Page!;
        if (page.Status == PageStatus.NeedsReauth)
        {
            throw new JobParkedException($"Page {page.MetaPageId} needs re-authorisation: {page.StatusReason}");
        }

        var scanStartedAt = context.Time.GetUtcNow().UtcDateTime;
        var since = form.ReconciledThrough is { } through
            ? through - settings.Overlap
            : scanStartedAt - settings.InitialLookback;
        var token = tokens.Unprotect(page.AccessTokenProtected);

        DateTime? earliestFailure = null;
        var stored = 0;
        string? after = null;
        do
        {
            var batch = await graph.GetFormLeadsAsync(form.MetaFormId, token, page.MetaPageId, since, after, settings.PageSize, cancellationToken);
            var (added, failedAt) = await StoreMissingAsync(db, context.Gate, form, batch.Data, context.Time.GetUtcNow().UtcDateTime, cancellationToken);
            stored += added;
            if (failedAt is { } failed && (earliestFailure is null || failed < earliestFailure))
            {
                earliestFailure = failed;
            }
            after = batch.After;
        }
        while (after is not null);

        // A failed lead holds the checkpoint just before itself, so the next run reads it again.
        var checkpoint = earliestFailure is { } f ? f.AddSeconds(-1) : scanStartedAt;
        if (stored > 0 || earliestFailure is not null)
        {
            LogReconciled(logger, form.MetaFormId, stored, earliestFailure);
        }

        await context.CompleteAsync(_ =>
        {
            if (form.ReconciledThrough is null || checkpoint > form.ReconciledThrough)
            {
                form.ReconciledThrough = checkpoint;
            }
            form.LastReconciledAt = scanStartedAt;
            return Task.CompletedTask;
        }, cancellationToken);
    }

    /// <summary>Stores the leads of one Graph page that Leadwire lacks; returns how many, and the earliest failure.</summary>
    private async Task<(int Added, DateTime? EarliestFailure)> StoreMissingAsync(
        LeadwireDbContext db, WriteGate gate, LeadForm form, IReadOnlyList<GraphLead> leads, DateTime now, CancellationToken cancellationToken)
    {
        if (leads.Count == 0)
        {
            return (0, null);
        }
        var ids = leads.Select(l => l.Id).ToList();
        var known = (await db.Leads.Where(l => ids.Contains(l.MetaLeadId)).Select(l => l.MetaLeadId).ToListAsync(cancellationToken))
            .ToHashSet(StringComparer.Ordinal);
        var missing = leads.Where(l => !known.Contains(l.Id)).DistinctBy(l => l.Id).ToList();
        if (missing.Count == 0)
        {
            return (0, null);
        }

        var rules = await intake.RulesAsync(db, form.Page!.WorkspaceId, cancellationToken);
        long? intakeBucket = null;

        // The whole page in one write; if anything in it fails, lead by lead, so one bad lead holds back only itself.
        try
        {
            var stored = missing.Select(graphLead => Map(graphLead, form, now)).ToList();
            await db.InWriteTransactionAsync(gate, async () =>
            {
                foreach (var lead in stored)
                {
                    LeadIntake.Add(db, lead, rules);
                }
                intakeBucket = await intake.EnqueueFollowUpAsync(db, cancellationToken);
            }, cancellationToken);
            intake.Committed(intakeBucket);
            live.Publish(stored.Select(Created));
            return (missing.Count, null);
        }
        catch (Exception e) when (e is DbUpdateException or FormatException or ArgumentException)
        {
            DetachAddedLeads(db);
        }

        var added = 0;
        DateTime? earliestFailure = null;
        foreach (var graphLead in missing)
        {
            try
            {
                var lead = Map(graphLead, form, now);
                await db.InWriteTransactionAsync(gate, async () =>
                {
                    LeadIntake.Add(db, lead, rules);
                    intakeBucket = await intake.EnqueueFollowUpAsync(db, cancellationToken);
                }, cancellationToken);
                intake.Committed(intakeBucket);
                live.Publish(Created(lead));
                added++;
            }
            catch (DbUpdateException e) when (dialect.IsUniqueViolation(e))
            {
                // The webhook path stored it a moment ago: that is success, not failure.
                DetachAddedLeads(db);
            }
            catch (Exception e) when (e is DbUpdateException or FormatException or ArgumentException)
            {
                DetachAddedLeads(db);
                LogLeadFailed(logger, graphLead.Id, form.MetaFormId, e);
                var createdAt = graphLead.CreatedTime ?? now;
                if (earliestFailure is null || createdAt < earliestFailure)
                {
                    earliestFailure = createdAt;
                }
            }
        }
        return (added, earliestFailure);
    }

    private static Lead Map(GraphLead graphLead, LeadForm form, DateTime now) =>
        LeadMapper.Map(graphLead, new MapContext(
            form.Page!.WorkspaceId, form.PageId, form.Page!.MetaPageId, form.Id, form.MetaFormId, form.QuestionsJson, LeadSource.Reconciliation, now, now));

    private static LiveEvent Created(Lead lead) =>
        new(LiveEventTypes.LeadCreated, lead.WorkspaceId, lead.Id, lead.AssigneeUserId, lead.StoredAt);

    /// <summary>Forgets the leads of a write that failed.</summary>
    private static void DetachAddedLeads(LeadwireDbContext db)
    {
        foreach (var entry in db.ChangeTracker.Entries().Where(x => x.State == EntityState.Added && x.Entity is Lead or LeadEvent).ToList())
        {
            entry.State = EntityState.Detached;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Reconciliation of form {FormId} stored {Count} missed leads (earliest failure: {EarliestFailure})")]
    private static partial void LogReconciled(ILogger logger, string formId, int count, DateTime? earliestFailure);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reconciliation could not store lead {LeadId} of form {FormId}; the checkpoint stays before it")]
    private static partial void LogLeadFailed(ILogger logger, string leadId, string formId, Exception exception);
}
