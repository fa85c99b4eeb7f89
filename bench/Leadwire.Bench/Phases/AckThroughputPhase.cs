using Leadwire.Bench.Baseline;
using Leadwire.Bench.Infrastructure;
using Leadwire.Bench.Load;
using Leadwire.Bench.Storage;

namespace Leadwire.Bench.Phases;

public sealed record AckThroughputResult(
    ClosedLoopResult Baseline,
    ClosedLoopResult Leadwire,
    int DistinctLeads,
    long LeadsStoredByLeadwire,
    ServerMemory BaselineMemory,
    ServerMemory LeadwireMemory,
    CpuUsage BaselineCpu,
    CpuUsage LeadwireCpu,
    WarmupResult Warmup,
    bool ServerGc)
{
    public double Ratio => Baseline.RequestsPerSecond > 0 ? Leadwire.RequestsPerSecond / Baseline.RequestsPerSecond : 0;
}

/// <summary>
/// Acknowledgement throughput: signed single-lead notifications at N concurrent connections, first against the
/// baseline receiver, then against Leadwire on a fresh database — which, while acknowledging, also processes the
/// deliveries, fetches the leads from the emulator and stores them (the honest condition).
/// </summary>
public static class AckThroughputPhase
{
    public static async Task<AckThroughputResult> RunAsync(BenchWorld world, BenchArguments arguments, IReadOnlyList<string> leadIds, Action<string> progress)
    {
        var webhooks = leadIds.Select(id => LeadgenWebhook.Create(world, [id])).ToArray();
        var warmup = TimeSpan.FromSeconds(arguments.WarmupSeconds);
        var measured = TimeSpan.FromSeconds(arguments.Seconds);

        progress($"ack: baseline server, {arguments.Connections} connections, {warmup.TotalSeconds:0} s warm-up + {measured.TotalSeconds:0} s");
        ClosedLoopResult baseline;
        ServerMemory baselineMemory;
        CpuUsage baselineCpu;
        await using (var server = await BaselineServer.StartProcessAsync(world.ServerAssembly))
        {
            var baselineMeter = CpuUsage.Start(server);
            baseline = await ClosedLoopLoad.RunAsync(server.BaseUrl, webhooks, arguments.Connections, warmup, measured);
            baselineCpu = baselineMeter.Stop();
            baselineMemory = ServerMemory.Of("ack (baseline)", server);
        }

        progress($"ack: Leadwire ({arguments.Provider.ToString().ToLowerInvariant()}), same load");
        await using var database = await BenchDatabase.CreateAsync(arguments, "ack", CancellationToken.None);
        await using var leadwire = await world.StartLeadwireAsync(database);
        var primed = await world.WarmUpAsync(leadwire, database, progress);
        var before = await database.CountLeadsAsync(CancellationToken.None);
        var meter = CpuUsage.Start(leadwire);
        var result = await ClosedLoopLoad.RunAsync(leadwire.BaseUrl, webhooks, arguments.Connections, warmup, measured);
        var cpu = meter.Stop();
        var stored = await database.CountLeadsAsync(CancellationToken.None) - before;
        var memory = ServerMemory.Of("ack", leadwire);
        return new AckThroughputResult(baseline, result, webhooks.Length, stored, baselineMemory, memory, baselineCpu, cpu, primed,
            BaselineServer.UsesServerGc(world.ServerAssembly));
    }
}
