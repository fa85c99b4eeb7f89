using Leadwire.Data;
using Leadwire.Features.Jobs;
using Leadwire.Features.Leads;
using Microsoft.EntityFrameworkCore;

namespace Leadwire.Features.Webhooks;

/// <summary>
/// Turns stored deliveries (those of one inbox commit, or one replayed delivery) into one <see cref="FetchLead"/>
/// job per lead. The fetch job's dedupe key is the leadgen id, so the same lead delivered twice — even at the same
/// moment — yields one fetch and one lead. A delivery that cannot be understood, or names a page Leadwire does not
/// know, is marked dead with the reason (what could be kept is kept) and the job dead-letters, so it is visible and
/// replayable.
/// </summary>
public sealed class ProcessWebhookDelivery(JobEnqueuer queue, TimeProvider time) : IJobHandler
{
    public const string Kind = "webhook.process";

    public sealed record Payload(IReadOnlyList<long> DeliveryIds);

    string IJobHandler.Kind => Kind;

    public async Task HandleAsync(JobContext context, CancellationToken cancellationToken)
    {
        var payload = JobJson.Read<Payload>(context.Job);
        var db = context.Db;
        var deliveries = await db.WebhookDeliveries.Where(d => payload.DeliveryIds.Contains(d.Id)).OrderBy(d => d.Id).ToListAsync(cancellationToken);
        var missing = payload.DeliveryIds.Except(deliveries.Select(d => d.Id)).ToList();

        var parsed = new List<(WebhookDelivery Delivery, LeadgenNotification? Notification, string? Error)>();
        foreach (var delivery in deliveries)
        {
            try
            {
                parsed.Add((delivery, LeadgenNotification.Parse(delivery.Body), null));
            }
            catch (FormatException e)
            {
                parsed.Add((delivery, null, e.Message));
            }
        }

        var pageIds = parsed.SelectMany(p => p.Notification?.Changes ?? []).Select(c => c.PageId).Distinct().ToList();
        var pages = await db.Pages
            .Where(p => pageIds.Contains(p.MetaPageId))
            .Select(p => new { p.Id, p.MetaPageId })
            .ToDictionaryAsync(p => p.MetaPageId, p => p.Id, StringComparer.Ordinal, cancellationToken);

        var now = time.GetUtcNow().UtcDateTime;
        var failures = new List<string>();
        async Task ApplyAsync(LeadwireDbContext writeDb)
        {
            foreach (var (delivery, notification, parseError) in parsed)
            {
                var problems = parseError is null ? notification!.Problems.ToList() : [parseError];
                if (notification is not null)
                {
                    var fetches = notification.Changes
                        .Where(c => pages.ContainsKey(c.PageId))
                        .DistinctBy(c => c.LeadgenId)
                        .Select(c => new UniqueJob(
                            new FetchLead.Payload(c.LeadgenId, c.PageId, c.FormId, c.AdId, c.CreatedTime), FetchLead.DedupeKey(c.LeadgenId), pages[c.PageId]))
                        .ToList();
                    await queue.EnqueueUniqueManyAsync(context, writeDb, FetchLead.Kind, fetches, cancellationToken);
                    var unknown = notification.Changes.Select(c => c.PageId).Where(id => !pages.ContainsKey(id)).Distinct().ToList();
                    if (unknown.Count > 0)
                    {
                        problems.Add($"Unknown page(s) {string.Join(", ", unknown)}: register the page, then replay this delivery.");
                    }
                    delivery.ChangeCount = notification.Changes.Count + notification.IgnoredChanges;
                }

                delivery.ProcessedAt = now;
                delivery.Status = problems.Count == 0 ? WebhookDeliveryStatus.Processed : WebhookDeliveryStatus.Dead;
                delivery.Error = problems.Count == 0 ? null : Truncate(string.Join(" ", problems));
                if (problems.Count > 0)
                {
                    failures.Add($"Delivery {delivery.Id}: {delivery.Error}");
                }
            }
        }

        if (missing.Count > 0)
        {
            failures.Add($"Webhook deliveries {string.Join(", ", missing)} do not exist.");
        }
        if (failures.Count == 0 && parsed.All(p => p.Error is null && p.Notification!.Problems.Count == 0
                && p.Notification.Changes.All(c => pages.ContainsKey(c.PageId))))
        {
            await context.CompleteAsync(ApplyAsync, cancellationToken);
            return;
        }

        // Keep what can be kept, then dead-letter the job so the rest is visible and replayable.
        await db.InWriteTransactionAsync(context.Gate, () => ApplyAsync(db), cancellationToken);
        context.WakeIfEnqueued();
        throw new PermanentJobFailureException(Truncate(string.Join(" ", failures)));
    }

    /// <summary>Deliveries the job never got to (it gave up on a database error) are marked dead with its reason.</summary>
    public async Task OnDeadLetteredAsync(LeadwireDbContext db, ClaimedJob job, string reason, CancellationToken cancellationToken)
    {
        var payload = JobJson.Read<Payload>(job);
        var now = time.GetUtcNow().UtcDateTime;
        await db.WebhookDeliveries
            .Where(d => payload.DeliveryIds.Contains(d.Id) && d.Status == WebhookDeliveryStatus.Received)
            .ExecuteUpdateAsync(s => s
                .SetProperty(d => d.Status, WebhookDeliveryStatus.Dead)
                .SetProperty(d => d.Error, reason)
                .SetProperty(d => d.ProcessedAt, now), cancellationToken);
    }

    private static string Truncate(string text) => text.Length > 4000 ? text[..4000] : text;
}
