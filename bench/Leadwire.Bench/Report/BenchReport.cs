using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using Leadwire.Bench.Phases;

namespace Leadwire.Bench.Report;

/// <summary>One figure held against its target from the issue.</summary>
public sealed record TargetCheck(string Name, double Value, string Unit, string Comparison, double Target, bool Pass);

public sealed record MachineInfo(int Cores, string Cpu, string Os, string Runtime, string LoadAverageAtStart, string LoadAverageAtEnd)
{
    /// <summary>The repository commit measured, "+ changes" when src/ differs from it (from git; "unknown" without it).</summary>
    public static string SourceVersion(string repositoryRoot)
    {
        var commit = Git(repositoryRoot, "rev-parse", "--short", "HEAD");
        if (commit is null)
        {
            return "unknown";
        }
        var changes = Git(repositoryRoot, "status", "--porcelain", "--", "src");
        return string.IsNullOrEmpty(changes) ? commit : commit + " + uncommitted changes in src/";
    }

    private static string? Git(string directory, params string[] arguments)
    {
        try
        {
            var start = new System.Diagnostics.ProcessStartInfo("git") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = directory };
            foreach (var argument in arguments)
            {
                start.ArgumentList.Add(argument);
            }
            using var git = System.Diagnostics.Process.Start(start);
            if (git is null)
            {
                return null;
            }
            var output = git.StandardOutput.ReadToEnd().Trim();
            git.WaitForExit();
            return git.ExitCode == 0 ? output : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }

    public static string LoadAverage()
    {
        try
        {
            return File.ReadAllText("/proc/loadavg").Trim();
        }
        catch (IOException)
        {
            return "unknown";
        }
    }

    public static MachineInfo Describe(string loadAtStart) => new(
        Environment.ProcessorCount, CpuModel(), RuntimeInformation.OSDescription, RuntimeInformation.FrameworkDescription,
        loadAtStart, LoadAverage());

    private static string CpuModel()
    {
        try
        {
            var line = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
            return line is null ? "unknown" : line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim();
        }
        catch (IOException)
        {
            return "unknown";
        }
    }
}

/// <summary>Everything one run measured on one provider; printed as a table and saved as JSON.</summary>
public sealed record BenchReport(
    string Provider,
    string SourceVersion,
    DateTimeOffset StartedAt,
    double DurationSeconds,
    MachineInfo Machine,
    BenchArguments Settings,
    AckThroughputResult Ack,
    EndToEndResult EndToEnd,
    PacedLatencyResult Latency,
    IReadOnlyList<ServerMemory> LeadwireMemory,
    long PeakRssKb,
    IReadOnlyList<TargetCheck> Targets)
{
    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        // A lead never stored makes the latency figure infinite; an unreadable /proc/stat makes busy NaN.
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    public const double AckRatioTarget = 0.50;
    public const double AckP99TargetMs = 10;
    public const double EndToEndTarget = 1_000;
    public const double LatencyP99TargetMs = 250;
    public const double PeakRssTargetMb = 250;

    public static IReadOnlyList<TargetCheck> Check(AckThroughputResult ack, EndToEndResult endToEnd, PacedLatencyResult latency, long peakRssKb)
    {
        var latencyP99 = latency.Missing > 0 ? double.PositiveInfinity : latency.StoredAtLatency.P99Ms;
        var endToEndRate = endToEnd.Completed ? endToEnd.LeadsPerSecond : 0;
        return
        [
            new("ack throughput ratio", ack.Ratio * 100, "%", ">=", AckRatioTarget * 100, ack.Ratio >= AckRatioTarget),
            new("ack p99", ack.Leadwire.Latency.P99Ms, "ms", "<=", AckP99TargetMs, ack.Leadwire.Latency.Count > 0 && ack.Leadwire.Latency.P99Ms <= AckP99TargetMs),
            new("end-to-end", endToEndRate, "leads/s", ">=", EndToEndTarget, endToEndRate >= EndToEndTarget),
            new("latency p99 @ rate", latencyP99, "ms", "<=", LatencyP99TargetMs, latencyP99 <= LatencyP99TargetMs),
            new("server peak RSS", Megabytes(peakRssKb), "MB", "<=", PeakRssTargetMb, Megabytes(peakRssKb) <= PeakRssTargetMb),
        ];
    }

    /// <summary>Decimal megabytes (10^6 bytes): the stricter reading of "250 MB".</summary>
    public static double Megabytes(long kilobytes) => kilobytes * 1024.0 / 1_000_000;

    public string ToTable()
    {
        var ack = Ack;
        var t = Targets.ToDictionary(c => c.Name);
        var text = new StringBuilder();
        Line(text, $"Leadwire benchmark — {Provider} — {StartedAt:yyyy-MM-dd HH:mm} UTC — commit {SourceVersion} — {Machine.Cores} cores ({Machine.Cpu}) — {Machine.Runtime}");
        Line(text, $"load average at start {Machine.LoadAverageAtStart}, at end {Machine.LoadAverageAtEnd}; run took {DurationSeconds:0} s");
        Line(text, "");
        Line(text, $"ack throughput   baseline {ack.Baseline.RequestsPerSecond:N0} req/s   leadwire {ack.Leadwire.RequestsPerSecond:N0} req/s   ratio {ack.Ratio * 100:0}%  (target ≥ 50%)   {Verdict(t["ack throughput ratio"])}");
        Line(text, $"ack p99          baseline {ack.Baseline.Latency.P99Ms:0.0} ms   leadwire {ack.Leadwire.Latency.P99Ms:0.0} ms   (target ≤ 10 ms)   {Verdict(t["ack p99"])}");
        Line(text, $"end-to-end       {Rate(EndToEnd)}   (target ≥ 1,000)   {Verdict(t["end-to-end"])}");
        Line(text, $"latency @{Latency.Rate}/s   p50 {Latency.StoredAtLatency.P50Ms:0} ms   p95 {Latency.StoredAtLatency.P95Ms:0} ms   p99 {Latency.StoredAtLatency.P99Ms:0} ms{MissingNote(Latency)}   (target p99 ≤ 250 ms)   {Verdict(t["latency p99 @ rate"])}");
        Line(text, $"server peak RSS  {Megabytes(PeakRssKb):0} MB ({PeakRssKb / 1024.0:0} MiB, VmHWM, highest of {LeadwireMemory.Count} servers)   (target ≤ 250 MB)   {Verdict(t["server peak RSS"])}");
        Line(text, "");
        Line(text, "details");
        Line(text, $"  ack, {ack.Leadwire.Connections} connections, {ack.Leadwire.MeasuredSeconds:0} s measured, one lead per POST ({ack.DistinctLeads:N0} distinct leads, then repeats), both with the {(ack.ServerGc ? "server" : "workstation")} GC:");
        Line(text, $"    baseline  {Percentiles(ack.Baseline.Latency)}   {Failures(ack.Baseline)}");
        Line(text, $"    leadwire  {Percentiles(ack.Leadwire.Latency)}   {Failures(ack.Leadwire)}");
        Line(text, $"    cpu (warm-up included): baseline run {ack.BaselineCpu}; leadwire run {ack.LeadwireCpu}");
        Line(text, $"    leadwire sent {ack.Leadwire.PostsSent:N0} POSTs (warm-up included) and had stored {ack.LeadsStoredByLeadwire:N0} leads when the load stopped");
        Line(text, $"  end-to-end: {EndToEnd.Posts:N0} POSTs of {EndToEnd.ChangesPerPost} changes, {EndToEnd.Senders} senders; all acknowledged after {EndToEnd.SecondsToAllAcknowledged:0.0} s, " +
            $"all stored after {EndToEnd.SecondsToAllStored:0.0} s; sustained (10%→90% of stored_at) {EndToEnd.SustainedLeadsPerSecond:N0} leads/s; failed attempts {EndToEnd.FailedAttempts}");
        Line(text, $"    leads stored per 5 s window: {string.Join(" ", EndToEnd.StoredPerSecond.Chunk(5).Select(w => w.Sum()))}");
        Line(text, $"    cpu until all stored: {EndToEnd.Cpu}");
        Line(text, $"  latency @{Latency.Rate}/s ({Latency.Leads:N0} leads measured, sent at {Latency.AchievedRate:0} /s, {Latency.FailedPosts} failed POSTs, {Latency.Missing} never stored):");
        Line(text, $"    stored_at − sent  {Percentiles(Latency.StoredAtLatency)}");
        Line(text, $"    seen by a reader  {Percentiles(Latency.ObservedLatency)}   (polls every 20 ms: an upper bound)");
        Line(text, $"    POST acknowledged {Percentiles(Latency.AckLatency)}");
        Line(text, $"    cpu from first send until drained: {Latency.Cpu}");
        Line(text, "  warm-up of each fresh server (cold-start throughput): " + string.Join("   ",
            new[] { ("ack", Ack.Warmup), ("end-to-end", EndToEnd.Warmup), ("latency", Latency.Warmup) }.Select(w =>
                w.Item2.Leads == 0 ? $"{w.Item1} none" : $"{w.Item1} {w.Item2.Leads:N0} leads in {w.Item2.Seconds:0.0} s ({w.Item2.LeadsPerSecond:N0}/s){(w.Item2.Completed ? "" : " NOT DRAINED")}")));
        Line(text, "  server memory by phase (VmHWM / VmRSS at end):  " + string.Join("   ",
            LeadwireMemory.Select(m => $"{m.Phase} {Megabytes(m.PeakRssKb):0} / {Megabytes(m.RssAtEndKb):0} MB")) +
            $"   baseline {Megabytes(ack.BaselineMemory.PeakRssKb):0} MB");
        return text.ToString();
    }

    public string Save(string directory)
    {
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, $"{StartedAt:yyyyMMdd-HHmmss}-{Provider}.json");
        File.WriteAllText(path, JsonSerializer.Serialize(this, Json) + "\n");
        return path;
    }

    private static void Line(StringBuilder text, string line) => text.Append(line).Append('\n');

    private static string Verdict(TargetCheck check) => check.Pass ? "PASS" : "MISS";

    private static string Rate(EndToEndResult result) => result.Completed
        ? $"{result.LeadsPerSecond:N0} leads/s over {result.Leads:N0} leads"
        : $"did not finish: {result.StoredLeads:N0} of {result.Leads:N0} leads stored in {result.SecondsToAllStored:0} s ({result.LeadsPerSecond:N0} leads/s)";

    private static string MissingNote(PacedLatencyResult result) =>
        result.Missing > 0 ? string.Create(CultureInfo.InvariantCulture, $" ({result.Missing} leads never stored)") : "";

    private static string Percentiles(Load.LatencySummary s) =>
        string.Create(CultureInfo.InvariantCulture,
            $"n={s.Count:N0}  mean {s.MeanMs:0.0}  p50 {s.P50Ms:0.0}  p90 {s.P90Ms:0.0}  p95 {s.P95Ms:0.0}  p99 {s.P99Ms:0.0}  p99.9 {s.P999Ms:0.0}  max {s.MaxMs:0.0} ms");

    private static string Failures(Load.ClosedLoopResult result) =>
        result.FailuresByStatus.Count == 0
            ? "no errors"
            : "errors: " + string.Join(", ", result.FailuresByStatus.Select(f => $"{f.Key} ×{f.Value:N0}"));
}
