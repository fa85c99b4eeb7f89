using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;

namespace Leadwire.Bench.Load;

/// <summary>What one closed-loop run measured (only requests that started and finished inside the measured window).</summary>
public sealed record ClosedLoopResult(
    int Connections,
    double MeasuredSeconds,
    long Succeeded,
    long Failed,
    IReadOnlyDictionary<string, long> FailuresByStatus,
    long PostsSent,
    double RequestsPerSecond,
    LatencySummary Latency);

/// <summary>
/// N workers, each with one request in flight at a time, sending the prepared webhooks round-robin as fast as the
/// server answers — the same code for the baseline and for Leadwire. Each worker times its own requests and keeps
/// them in its own list; percentiles are computed after the run.
/// </summary>
public static class ClosedLoopLoad
{
    public static async Task<ClosedLoopResult> RunAsync(
        Uri baseUrl, IReadOnlyList<LeadgenWebhook> webhooks, int connections, TimeSpan warmup, TimeSpan measured)
    {
        using var sender = new WebhookSender(baseUrl, connections);
        var failures = new ConcurrentDictionary<string, long>();
        long next = -1;

        var begin = Stopwatch.GetTimestamp();
        var measureFrom = begin + (long)(warmup.TotalSeconds * Stopwatch.Frequency);
        var measureTo = measureFrom + (long)(measured.TotalSeconds * Stopwatch.Frequency);

        async Task<(List<double> Latencies, long Failed)> WorkerAsync()
        {
            var latencies = new List<double>(16_384);
            long failed = 0;
            while (true)
            {
                var started = Stopwatch.GetTimestamp();
                if (started >= measureTo)
                {
                    break;
                }
                var index = Interlocked.Increment(ref next);
                var status = await sender.SendAsync(webhooks[(int)(index % webhooks.Count)]);
                var finished = Stopwatch.GetTimestamp();
                var ok = status is >= 200 and < 300;
                if (!ok)
                {
                    failures.AddOrUpdate(status == 0 ? "no response" : status.ToString(CultureInfo.InvariantCulture), 1, (_, n) => n + 1);
                }
                if (started >= measureFrom && finished <= measureTo)
                {
                    if (ok)
                    {
                        latencies.Add(Stopwatch.GetElapsedTime(started, finished).TotalMilliseconds);
                    }
                    else
                    {
                        failed++;
                    }
                }
            }
            return (latencies, failed);
        }

        // Task.Run: the workers start side by side instead of each running up to its first await on this thread.
        var workers = Enumerable.Range(0, connections).Select(_ => Task.Run(WorkerAsync)).ToArray();
        var results = await Task.WhenAll(workers);

        var all = results.SelectMany(r => r.Latencies).ToArray();
        return new ClosedLoopResult(
            connections,
            measured.TotalSeconds,
            all.Length,
            results.Sum(r => r.Failed),
            failures.ToDictionary(),
            Interlocked.Read(ref next) + 1,
            all.Length / measured.TotalSeconds,
            LatencySummary.Of(all));
    }
}
