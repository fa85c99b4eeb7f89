using System.Diagnostics;
using Leadwire.Bench.Infrastructure;
using Leadwire.Bench.Phases;
using Leadwire.Bench.Report;

namespace Leadwire.Bench;

/// <summary>
/// One run on one provider: the emulator and a pool of leads, then each phase against its own fresh Leadwire
/// process and database (so one phase's backlog cannot slow the next), then the table and the JSON file.
/// </summary>
public static class BenchRunner
{
    /// <summary>Leads the acknowledgement runs announce (one per POST); later POSTs repeat them.</summary>
    private const int LeadPool = 100_000;

    public static async Task<int> RunAsync(BenchArguments arguments)
    {
        var startedAt = DateTimeOffset.UtcNow;
        var version = MachineInfo.SourceVersion(RepoPaths.Root);
        var loadAtStart = MachineInfo.LoadAverage();
        var clock = Stopwatch.StartNew();
        var provider = arguments.Provider.ToString().ToLowerInvariant();
        void Progress(string message) => Console.Error.WriteLine($"[bench {provider} {clock.Elapsed:mm\\:ss}] {message}");

        Progress("starting the Meta emulator and creating leads");
        await using var world = await BenchWorld.StartAsync(arguments.ServerPath ?? RepoPaths.ServerAssembly, arguments.ServerEnvironment, arguments.PrimeLeads);
        var leads = await world.CreateLeadsAsync(LeadPool);

        var ack = await AckThroughputPhase.RunAsync(world, arguments, leads, Progress);
        var endToEnd = await EndToEndPhase.RunAsync(world, arguments, leads, Progress);
        var latency = await PacedLatencyPhase.RunAsync(world, arguments, leads, Progress);

        ServerMemory[] memory = [ack.LeadwireMemory, endToEnd.Memory, latency.Memory];
        var peak = memory.Max(m => m.PeakRssKb);
        var report = new BenchReport(
            provider, version, startedAt, clock.Elapsed.TotalSeconds, MachineInfo.Describe(loadAtStart), arguments with { PostgresAdmin = null },
            ack, endToEnd, latency, memory, peak, BenchReport.Check(ack, endToEnd, latency, peak));

        Console.WriteLine(report.ToTable());
        var path = report.Save(arguments.ResultsDirectory ?? RepoPaths.Results);
        Console.WriteLine($"saved {Path.GetRelativePath(Environment.CurrentDirectory, path)}");
        Console.WriteLine();
        return 0;
    }
}
