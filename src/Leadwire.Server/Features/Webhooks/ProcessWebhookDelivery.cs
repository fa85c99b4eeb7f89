using Leadwire.Data;
using Leadwire.Features.Jobs;
using Leadwire.Features.Leads;
using Microsoft.EntityFrameworkCore;

namespace Leadwire.Features.Webhooks;

/// <summary>
/// Turns a stored delivery into one <see cref="FetchLead"/> job per lead. The job's dedupe key is the leadgen id,
/// so the same lead delivered twice — even at the same moment — yields one fetch and one lead.
/// </summary>
public sealed class ProcessWebhookDelivery(JobEnqueuer queue, TimeProvider time) : IJobHandler
{
    public const string Kind = "webhook.process";

    public sealed record Payload(long DeliveryId);

    string IJobHandler.Kind => Kind;

    public async Task HandleAsync(JobContext context, CancellationToken cancellationToken)
    {
        var payload = JobJson.Read<Payload>(context.Job);
        var db = context.Db;
        var delivery = await db.WebhookDeliveries.SingleOrDefaultAsync(d => d.Id == payload.DeliveryId, cancellationToken)
            ?? throw new PermanentJobFailureException($"Webhook delivery {payload.DeliveryId} does not exist.");

        LeadgenNotification notification;
        try
        {
            notification = LeadgenNotification.Parse(delivery.Body);
        }
        catch (FormatException e)
        {
            throw new PermanentJobFailureException(e.Message);
        }

        var pageIds = notification.Changes.Select(c => c.PageId).Distinct().ToList();
        var pages = await db.Pages
            .Where(p => pageIds.Contains(p.MetaPageId))
            .Select(p => new { p.Id, p.MetaPageId })
            .ToDictionaryAsync(p => p.MetaPageId, p => p.Id, StringComparer.Ordinal, cancellationToken);
        var unknownPages = pageIds.Where(id => !pages.ContainsKey(id)).ToList();

        var problems = notification.Problems.ToList();
        if (unknownPages.Count > 0)
        {
            problems.Add($"Unknown page(s) {string.Join(", ", unknownPages)}: register the page, then replay this delivery.");
        }

        async Task EnqueueFetchesAsync(LeadwireDbContext writeDb)
        {
            foreach (var change in notification.Changes)
            {
                if (!pages.TryGetValue(change.PageId, out var pageId))
                {
                    continue;
                }
                await queue.EnqueueUniqueAsync(
                    context, writeDb, FetchLead.Kind,
                    new FetchLead.Payload(change.LeadgenId, change.PageId, change.FormId, change.AdId, change.CreatedTime),
                    FetchLead.DedupeKey(change.LeadgenId), pageId, cancellationToken);
            }
            delivery.ChangeCount = notification.Changes.Count + notification.IgnoredChanges;
        }

        if (problems.Count == 0)
        {
            await context.CompleteAsync(async writeDb =>
            {
                await EnqueueFetchesAsync(writeDb);
                delivery.Status = WebhookDeliveryStatus.Processed;
                delivery.Error = null;
                delivery.ProcessedAt = time.GetUtcNow().UtcDateTime;
            }, cancellationToken);
            return;
        }

        // Keep what can be kept, then dead-letter the delivery so the rest is visible and replayable.
        await db.InWriteTransactionAsync(context.Gate, () => EnqueueFetchesAsync(db), cancellationToken);
        context.WakeIfEnqueued();
        throw new PermanentJobFailureException(string.Join(" ", problems));
    }

    public async Task OnDeadLetteredAsync(LeadwireDbContext db, ClaimedJob job, string reason, CancellationToken cancellationToken)
    {
        var payload = JobJson.Read<Payload>(job);
        var now = time.GetUtcNow().UtcDateTime;
        await db.WebhookDeliveries
            .Where(d => d.Id == payload.DeliveryId)
            .ExecuteUpdateAsync(s => s
                .SetProperty(d => d.Status, WebhookDeliveryStatus.Dead)
                .SetProperty(d => d.Error, reason)
                .SetProperty(d => d.ProcessedAt, now), cancellationToken);
    }
}
