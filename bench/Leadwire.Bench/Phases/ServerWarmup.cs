using System.Diagnostics;
using Leadwire.Bench.Load;
using Leadwire.Bench.Storage;

namespace Leadwire.Bench.Phases;

/// <summary>How the warm-up of one fresh server went: its cold-start throughput, worth knowing on its own.</summary>
public sealed record WarmupResult(int Leads, double Seconds, bool Completed, double LeadsPerSecond);

/// <summary>
/// Warms a fresh Leadwire process through the whole path (webhook, inbox, jobs, Graph fetch, lead insert) and waits
/// until every warm-up lead is stored, so the phase that follows measures a warm server with an empty backlog.
/// Why: .NET compiles hot code again in the background (tiered compilation with dynamic PGO); on two shared cores
/// that takes tens of seconds under load, during which the server runs slower instrumented code. A long-running
/// production server is past that; a phase measured from a cold process would mostly measure the JIT.
/// </summary>
public static class ServerWarmup
{
    public const int ChangesPerPost = 10;
    public const int Senders = 8;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);

    public static async Task<WarmupResult> RunAsync(Uri leadwire, BenchDatabase database, IReadOnlyList<LeadgenWebhook> webhooks, Action<string> progress)
    {
        var leads = webhooks.Sum(w => w.LeadIds.Count);
        if (leads == 0)
        {
            return new WarmupResult(0, 0, true, 0);
        }

        progress($"  warming the server up: {leads:N0} leads through the whole path, then an empty backlog");
        using var sender = new WebhookSender(leadwire, Senders);
        var clock = Stopwatch.StartNew();
        long next = -1;

        async Task SendAllAsync()
        {
            long index;
            while ((index = Interlocked.Increment(ref next)) < webhooks.Count)
            {
                for (var attempt = 0; attempt < 5 && await sender.SendAsync(webhooks[(int)index]) is < 200 or >= 300; attempt++)
                {
                    await Task.Delay(100);
                }
            }
        }

        var sending = Task.WhenAll(Enumerable.Range(0, Senders).Select(_ => Task.Run(SendAllAsync)));
        long stored = 0;
        while (clock.Elapsed < Timeout && (stored = await database.CountLeadsAsync(CancellationToken.None)) < leads)
        {
            await Task.Delay(100);
        }
        await sending;
        var seconds = clock.Elapsed.TotalSeconds;
        return new WarmupResult(leads, seconds, stored >= leads, stored / seconds);
    }
}
