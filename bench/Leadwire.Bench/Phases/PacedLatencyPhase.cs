using System.Diagnostics;
using Leadwire.Bench.Infrastructure;
using Leadwire.Bench.Load;
using Leadwire.Bench.Storage;

namespace Leadwire.Bench.Phases;

public sealed record PacedLatencyResult(
    int Rate,
    double MeasuredSeconds,
    int Leads,
    double AchievedRate,
    long FailedPosts,
    int Missing,
    LatencySummary StoredAtLatency,
    LatencySummary ObservedLatency,
    LatencySummary AckLatency,
    CpuUsage Cpu,
    ServerMemory Memory,
    WarmupResult Warmup);

/// <summary>
/// Latency at a steady rate: one lead per POST, sent on a fixed schedule (open loop: a slow answer does not delay
/// the next send). For each lead, latency = leads.stored_at (UTC, written by the server) − the time the bench sent
/// the POST (UTC, same machine clock). A warm-up at the same rate comes first and is not counted.
/// </summary>
public static class PacedLatencyPhase
{
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(20);
    private const long Lookback = 256;

    public static async Task<PacedLatencyResult> RunAsync(BenchWorld world, BenchArguments arguments, IReadOnlyList<string> leadIds, Action<string> progress)
    {
        var warmupCount = arguments.Rate * arguments.WarmupSeconds;
        var total = Math.Min(leadIds.Count, warmupCount + (arguments.Rate * arguments.LatencySeconds));
        var webhooks = leadIds.Take(total).Select(id => LeadgenWebhook.Create(world, [id])).ToArray();

        await using var database = await BenchDatabase.CreateAsync(arguments, "latency", CancellationToken.None);
        await using var leadwire = await world.StartLeadwireAsync(database);
        var warmup = await world.WarmUpAsync(leadwire, database, progress);
        var firstId = await database.MaxLeadIdAsync(CancellationToken.None);
        progress($"latency: {arguments.Rate} leads/s, one per POST, {arguments.WarmupSeconds} s warm-up + {arguments.LatencySeconds} s");

        // Watch the leads table while sending: when each lead became visible to a reader (an upper bound, within
        // one poll), next to the server's own stored_at.
        var seen = new Dictionary<string, (StoredLead Lead, DateTime SeenUtc)>(StringComparer.Ordinal);
        using var stopWatching = new CancellationTokenSource();
        var watching = WatchAsync(database, firstId, seen, total, stopWatching.Token);

        using var sender = new WebhookSender(leadwire.BaseUrl, 256);
        var sentUtc = new DateTime[total];
        var ackMs = new double[total];
        var statuses = new int[total];
        var sends = new Task[total];
        var meter = CpuUsage.Start(leadwire);
        var interval = Stopwatch.Frequency / (double)arguments.Rate;
        var start = Stopwatch.GetTimestamp();
        for (var i = 0; i < total; i++)
        {
            var due = start + (long)(i * interval);
            var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), due);
            if (wait > TimeSpan.FromMilliseconds(1))
            {
                await Task.Delay(wait);
            }
            sends[i] = SendOneAsync(sender, webhooks[i], i, sentUtc, ackMs, statuses);
        }
        var sendSeconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        await Task.WhenAll(sends);

        await Task.WhenAny(watching, Task.Delay(DrainTimeout));
        await stopWatching.CancelAsync();
        await watching;
        var cpu = meter.Stop();
        await CatchUpAsync(database, firstId, seen);
        var memory = ServerMemory.Of("latency", leadwire);

        var storedAt = new List<double>();
        var observed = new List<double>();
        var missing = 0;
        lock (seen)
        {
            for (var i = warmupCount; i < total; i++)
            {
                if (seen.TryGetValue(webhooks[i].LeadIds[0], out var found))
                {
                    storedAt.Add((found.Lead.StoredAtUtc - sentUtc[i]).TotalMilliseconds);
                    observed.Add((found.SeenUtc - sentUtc[i]).TotalMilliseconds);
                }
                else
                {
                    missing++;
                }
            }
        }
        return new PacedLatencyResult(
            arguments.Rate,
            arguments.LatencySeconds,
            total - warmupCount,
            total / sendSeconds,
            statuses.Count(s => s is < 200 or >= 300),
            missing,
            LatencySummary.Of(storedAt),
            LatencySummary.Of(observed),
            LatencySummary.Of(ackMs.Skip(warmupCount)),
            cpu,
            memory,
            warmup);
    }

    /// <summary>Rows the watcher missed (none expected) still count, seen "now" — an upper bound like the rest.</summary>
    private static async Task CatchUpAsync(BenchDatabase database, long firstId, Dictionary<string, (StoredLead, DateTime)> seen)
    {
        var rows = await database.ReadLeadsAfterAsync(firstId, CancellationToken.None);
        var now = TimeProvider.System.GetUtcNow().UtcDateTime;
        lock (seen)
        {
            foreach (var row in rows)
            {
                seen.TryAdd(row.MetaLeadId, (row, now));
            }
        }
    }

    private static async Task SendOneAsync(WebhookSender sender, LeadgenWebhook webhook, int index, DateTime[] sentUtc, double[] ackMs, int[] statuses)
    {
        sentUtc[index] = TimeProvider.System.GetUtcNow().UtcDateTime;
        var started = Stopwatch.GetTimestamp();
        statuses[index] = await sender.SendAsync(webhook);
        ackMs[index] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
    }

    /// <summary>Polls for new lead rows until <paramref name="expected"/> were seen or it is cancelled.</summary>
    /// <remarks>
    /// On PostgreSQL ids are not committed in id order (concurrent transactions), so a row may appear below the
    /// highest id already seen. Each poll therefore reads from the highest id below which every id was seen, but
    /// never more than <see cref="Lookback"/> ids back, which bounds the cost if an id is never used (a gap).
    /// </remarks>
    private static async Task WatchAsync(
        BenchDatabase database, long firstId, Dictionary<string, (StoredLead, DateTime)> seen, int expected, CancellationToken cancellationToken)
    {
        long contiguous = firstId, highest = firstId;
        var above = new HashSet<long>();
        try
        {
            while (true)
            {
                var rows = await database.ReadLeadsAfterAsync(Math.Max(contiguous, highest - Lookback), cancellationToken);
                var now = TimeProvider.System.GetUtcNow().UtcDateTime;
                lock (seen)
                {
                    foreach (var row in rows)
                    {
                        if (seen.TryAdd(row.MetaLeadId, (row, now)))
                        {
                            above.Add(row.Id);
                            highest = Math.Max(highest, row.Id);
                        }
                    }
                    while (above.Remove(contiguous + 1))
                    {
                        contiguous++;
                    }
                    if (seen.Count >= expected)
                    {
                        return;
                    }
                }
                await Task.Delay(PollInterval, cancellationToken);
            }
        }
        catch (OperationCanceledException)
        {
            // Drain timeout: whatever was not seen counts as missing.
        }
    }
}
