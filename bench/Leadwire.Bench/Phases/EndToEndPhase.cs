using System.Diagnostics;
using Leadwire.Bench.Infrastructure;
using Leadwire.Bench.Load;
using Leadwire.Bench.Storage;

namespace Leadwire.Bench.Phases;

public sealed record EndToEndResult(
    int Leads,
    int ChangesPerPost,
    int Senders,
    int Posts,
    long FailedAttempts,
    double SecondsToAllAcknowledged,
    double SecondsToAllStored,
    long StoredLeads,
    bool Completed,
    double LeadsPerSecond,
    double SustainedLeadsPerSecond,
    IReadOnlyList<int> StoredPerSecond,
    CpuUsage Cpu,
    ServerMemory Memory,
    WarmupResult Warmup);

/// <summary>
/// End-to-end throughput: N leads that already exist in the emulator are announced in signed notifications
/// batched like Meta's (several changes per POST, a few POSTs in flight), and the clock runs from the first send
/// until the bench's count query sees the N-th lead row.
/// </summary>
public static class EndToEndPhase
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(50);

    public static async Task<EndToEndResult> RunAsync(BenchWorld world, BenchArguments arguments, IReadOnlyList<string> leadIds, Action<string> progress)
    {
        var leads = leadIds.Take(arguments.Leads).ToArray();
        var webhooks = LeadgenWebhook.CreateMany(world, leads, arguments.Batch);

        await using var database = await BenchDatabase.CreateAsync(arguments, "e2e", CancellationToken.None);
        await using var leadwire = await world.StartLeadwireAsync(database);
        var warmup = await world.WarmUpAsync(leadwire, database, progress);
        var firstId = await database.MaxLeadIdAsync(CancellationToken.None);
        var before = await database.CountLeadsAsync(CancellationToken.None);
        progress($"end-to-end: {leads.Length:N0} leads in {webhooks.Length:N0} POSTs of {arguments.Batch}, {arguments.Senders} senders");

        using var sender = new WebhookSender(leadwire.BaseUrl, arguments.Senders);
        long next = -1, failedAttempts = 0;
        var meter = CpuUsage.Start(leadwire);
        var clock = Stopwatch.StartNew();
        var firstSendUtc = TimeProvider.System.GetUtcNow().UtcDateTime;

        async Task SendAllAsync()
        {
            long index;
            while ((index = Interlocked.Increment(ref next)) < webhooks.Length)
            {
                // Like Meta, a POST that is not acknowledged is sent again.
                for (var attempt = 0; attempt < 5; attempt++)
                {
                    var status = await sender.SendAsync(webhooks[index]);
                    if (status is >= 200 and < 300)
                    {
                        break;
                    }
                    Interlocked.Increment(ref failedAttempts);
                    await Task.Delay(100);
                }
            }
        }

        var sending = Task.WhenAll(Enumerable.Range(0, arguments.Senders).Select(_ => Task.Run(SendAllAsync)));
        var acknowledged = sending.ContinueWith(_ => clock.Elapsed, TaskScheduler.Default);

        long stored = 0;
        while (clock.Elapsed < Timeout)
        {
            stored = await database.CountLeadsAsync(CancellationToken.None) - before;
            if (stored >= leads.Length)
            {
                break;
            }
            await Task.Delay(PollInterval);
        }
        var allStored = clock.Elapsed;
        var cpu = meter.Stop();
        await sending;
        var ackedAfter = await acknowledged;
        var memory = ServerMemory.Of("end-to-end", leadwire);

        var completed = stored >= leads.Length;
        var rows = await database.ReadLeadsAfterAsync(firstId, CancellationToken.None);
        return new EndToEndResult(
            leads.Length, arguments.Batch, arguments.Senders, webhooks.Length, Interlocked.Read(ref failedAttempts),
            ackedAfter.TotalSeconds, allStored.TotalSeconds, stored, completed,
            stored / allStored.TotalSeconds, Sustained(rows), Timeline(rows, firstSendUtc), cpu, memory, warmup);
    }

    /// <summary>Leads stored in each second after the first send (by stored_at): shows warm-up and steady state.</summary>
    private static int[] Timeline(IReadOnlyList<StoredLead> rows, DateTime firstSendUtc)
    {
        if (rows.Count == 0)
        {
            return [];
        }
        var seconds = rows.Select(r => Math.Max(0, (int)(r.StoredAtUtc - firstSendUtc).TotalSeconds)).ToArray();
        var timeline = new int[seconds.Max() + 1];
        foreach (var second in seconds)
        {
            timeline[second]++;
        }
        return timeline;
    }

    /// <summary>Leads per second between the 10th and the 90th percentile of stored_at: the rate once running, without start-up or tail.</summary>
    private static double Sustained(IReadOnlyList<StoredLead> rows)
    {
        if (rows.Count < 10)
        {
            return 0;
        }
        var times = rows.Select(r => r.StoredAtUtc).Order().ToArray();
        var from = (int)(times.Length * 0.1);
        var to = (int)(times.Length * 0.9);
        var seconds = (times[to] - times[from]).TotalSeconds;
        return seconds > 0 ? (to - from) / seconds : 0;
    }
}
