using System.Diagnostics;
using System.Globalization;

namespace Leadwire.Bench.Infrastructure;

/// <summary>
/// Where the CPU went during a measured window, in cores: the server under test, the bench itself (load generator
/// and emulator), PostgreSQL's processes, and everything else (the kernel, other people's work on a shared
/// machine), with how busy the whole machine was (/proc/stat). Tells a server that waits from one that computes,
/// and shows when the machine itself was the limit.
/// </summary>
public sealed record CpuUsage(double Seconds, double ServerCores, double BenchCores, double PostgresCores, double MachineBusyPercent)
{
    /// <summary>Cores busy with anything else: the kernel's own work, other processes on a shared machine.</summary>
    public double OtherCores =>
        Math.Max(0, (MachineBusyPercent / 100 * Environment.ProcessorCount) - ServerCores - BenchCores - PostgresCores);

    public static CpuMeter Start(ChildServer server) => new(server);

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"server {ServerCores:0.00} cores, bench {BenchCores:0.00}, postgres {PostgresCores:0.00}, everything else {OtherCores:0.00}; machine {MachineBusyPercent:0}% busy over {Seconds:0.0} s");

    /// <summary>Busy and total jiffies of all CPUs from the first line of /proc/stat, or null off Linux.</summary>
    internal static (long Busy, long Total)? MachineJiffies()
    {
        try
        {
            var line = File.ReadLines("/proc/stat").First();
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Take(8)
                .Select(f => long.Parse(f, CultureInfo.InvariantCulture)).ToArray();
            var idle = fields[3] + fields[4]; // idle + iowait
            var total = fields.Sum();
            return (total - idle, total);
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>
    /// User + system clock ticks of every process named <c>postgres</c>, by pid (/proc/&lt;pid&gt;/stat). Backends that
    /// exit inside a window take their ticks with them, so the figure is a lower bound.
    /// </summary>
    internal static Dictionary<int, long> PostgresTicks()
    {
        var ticks = new Dictionary<int, long>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }
            try
            {
                // "pid (comm) state ppid ..." — comm may hold spaces, so fields are counted after the last ')'.
                var stat = File.ReadAllText(Path.Combine(directory, "stat"));
                var open = stat.IndexOf('(', StringComparison.Ordinal);
                var close = stat.LastIndexOf(')');
                if (open < 0 || close < open || stat[(open + 1)..close] != "postgres")
                {
                    continue;
                }
                var fields = stat[(close + 2)..].Split(' ');
                ticks[pid] = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
            }
            catch (IOException)
            {
                // The process ended while we looked.
            }
            catch (UnauthorizedAccessException)
            {
                // Not ours to read.
            }
        }
        return ticks;
    }
}

public sealed class CpuMeter
{
    // Linux reports process CPU in USER_HZ ticks, 100 per second on every mainstream kernel build.
    private const double TicksPerSecond = 100;

    private readonly ChildServer _server;
    private readonly long _started = Stopwatch.GetTimestamp();
    private readonly TimeSpan _serverAtStart;
    private readonly TimeSpan _benchAtStart;
    private readonly Dictionary<int, long> _postgresAtStart;
    private readonly (long Busy, long Total)? _machineAtStart;

    internal CpuMeter(ChildServer server)
    {
        _server = server;
        _serverAtStart = server.ProcessorTime();
        _benchAtStart = BenchProcessorTime();
        _postgresAtStart = CpuUsage.PostgresTicks();
        _machineAtStart = CpuUsage.MachineJiffies();
    }

    public CpuUsage Stop()
    {
        var seconds = Stopwatch.GetElapsedTime(_started).TotalSeconds;
        var server = (_server.ProcessorTime() - _serverAtStart).TotalSeconds;
        var bench = (BenchProcessorTime() - _benchAtStart).TotalSeconds;
        var postgres = CpuUsage.PostgresTicks().Sum(p => p.Value - _postgresAtStart.GetValueOrDefault(p.Key)) / TicksPerSecond;
        var machine = CpuUsage.MachineJiffies();
        var busy = machine is { } end && _machineAtStart is { } start && end.Total > start.Total
            ? 100.0 * (end.Busy - start.Busy) / (end.Total - start.Total)
            : double.NaN;
        return new CpuUsage(seconds, server / seconds, bench / seconds, postgres / seconds, busy);
    }

    private static TimeSpan BenchProcessorTime()
    {
        using var self = Process.GetCurrentProcess();
        return self.TotalProcessorTime;
    }
}
