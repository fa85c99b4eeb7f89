using Leadwire.Bench.Infrastructure;

namespace Leadwire.Bench.Phases;

/// <summary>
/// A server's memory at the end of a phase: VmHWM (the kernel's peak resident set since the process started),
/// VmRSS then, and the highest VmRSS the 100 ms sampler saw (a cross-check of VmHWM). KiB.
/// </summary>
public sealed record ServerMemory(string Phase, long PeakRssKb, long RssAtEndKb, long SampledPeakRssKb)
{
    /// <summary>Read just before the server is stopped.</summary>
    public static ServerMemory Of(string phase, ChildServer server)
    {
        var now = server.ReadMemory();
        return new ServerMemory(phase, now.PeakRssKb, now.RssKb, server.SampledPeakRssKb);
    }
}
