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
        var deliveries = await db.WebhookDeliveries.AsNoTracking()
            .Where(d => payload.DeliveryIds.Contains(d.Id))
            .OrderBy(d => d.Id)
            .Select(d => new { d.Id, d.Body })
            .ToListAsync(cancellationToken);
        var missing = payload.DeliveryIds.Except(deliveries.Select(d => d.Id)).ToList();

        var parsed = new List<Parsed>(deliveries.Count);
        foreach (var delivery in deliveries)
        {
            try
            {
                parsed.Add(new Parsed(delivery.Id, LeadgenNotification.Parse(delivery.Body), null));
            }
            catch (FormatException e)
            {
                parsed.Add(new Parsed(delivery.Id, null, e.Message));
            }
        }

        var pageIds = parsed.SelectMany(p => p.Notification?.Changes ?? []).Select(c => c.PageId).Distinct().ToList();
        var pages = await db.Pages
            .Where(p => pageIds.Contains(p.MetaPageId))
            .Select(p => new { p.Id, p.MetaPageId })
            .ToDictionaryAsync(p => p.MetaPageId, p => p.Id, StringComparer.Ordinal, cancellationToken);

        // One fetch job per lead across the whole batch; the dedupe key makes repeats (here or earlier) no-ops.
        var fetches = parsed
            .SelectMany(p => p.Notification?.Changes ?? [])
            .Where(c => pages.ContainsKey(c.PageId))
            .DistinctBy(c => c.LeadgenId)
            .Select(c => new UniqueJob(
                new FetchLead.Payload(c.LeadgenId, c.PageId, c.FormId, c.AdId, c.CreatedTime), FetchLead.DedupeKey(c.LeadgenId), pages[c.PageId]))
            .ToList();

        var outcomes = parsed.ConvertAll(p => Outcome.Of(p, pages));
        var failures = outcomes.Where(o => o.Error is not null).Select(o => $"Delivery {o.DeliveryId}: {o.Error}").ToList();
        if (missing.Count > 0)
        {
            failures.Add($"Webhook deliveries {string.Join(", ", missing)} do not exist.");
        }

        var now = time.GetUtcNow().UtcDateTime;
        async Task ApplyAsync(LeadwireDbContext writeDb)
        {
            await queue.EnqueueUniqueManyAsync(context, writeDb, FetchLead.Kind, fetches, cancellationToken);
            // Set-based: deliveries that went well differ only in their change count, so one UPDATE per count.
            foreach (var group in outcomes.Where(o => o.Error is null).GroupBy(o => o.ChangeCount))
            {
                var ids = group.Select(o => o.DeliveryId).ToList();
                await writeDb.WebhookDeliveries.Where(d => ids.Contains(d.Id)).ExecuteUpdateAsync(u => u
                    .SetProperty(d => d.Status, WebhookDeliveryStatus.Processed)
                    .SetProperty(d => d.Error, (string?)null)
                    .SetProperty(d => d.ChangeCount, group.Key)
                    .SetProperty(d => d.ProcessedAt, now), cancellationToken);
            }
            foreach (var dead in outcomes.Where(o => o.Error is not null))
            {
                await writeDb.WebhookDeliveries.Where(d => d.Id == dead.DeliveryId).ExecuteUpdateAsync(u => u
                    .SetProperty(d => d.Status, WebhookDeliveryStatus.Dead)
                    .SetProperty(d => d.Error, dead.Error)
                    .SetProperty(d => d.ChangeCount, dead.ChangeCount)
                    .SetProperty(d => d.ProcessedAt, now), cancellationToken);
            }
        }

        if (failures.Count == 0)
        {
            await context.CompleteAsync(ApplyAsync, cancellationToken);
            return;
        }

        // Keep what can be kept, then dead-letter the job so the rest is visible and replayable.
        await db.InWriteTransactionAsync(context.Gate, () => ApplyAsync(db), cancellationToken);
        context.WakeIfEnqueued();
        throw new PermanentJobFailureException(Truncate(string.Join(" ", failures)));
    }

    private sealed record Parsed(long DeliveryId, LeadgenNotification? Notification, string? ParseError);

    /// <summary>What becomes of one delivery: processed, or dead with the reason (what could be kept is kept).</summary>
    private sealed record Outcome(long DeliveryId, int ChangeCount, string? Error)
    {
        public static Outcome Of(Parsed parsed, Dictionary<string, long> pages)
        {
            if (parsed.Notification is not { } notification)
            {
                return new Outcome(parsed.DeliveryId, 0, Truncate(parsed.ParseError!));
            }
            var problems = notification.Problems.ToList();
            var unknown = notification.Changes.Select(c => c.PageId).Where(id => !pages.ContainsKey(id)).Distinct().ToList();
            if (unknown.Count > 0)
            {
                problems.Add($"Unknown page(s) {string.Join(", ", unknown)}: register the page, then replay this delivery.");
            }
            var changeCount = notification.Changes.Count + notification.IgnoredChanges;
            return new Outcome(parsed.DeliveryId, changeCount, problems.Count == 0 ? null : Truncate(string.Join(" ", problems)));
        }
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
