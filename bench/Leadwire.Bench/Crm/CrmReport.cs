using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Leadwire.Bench.Crm.Phases;
using Leadwire.Bench.Load;
using Leadwire.Bench.Report;

namespace Leadwire.Bench.Crm;

/// <summary>One CRM figure against its target from the issue, with the baseline it is printed beside.</summary>
public sealed record CrmTargetCheck(string Name, double Value, string Unit, string Comparison, double Target, bool Available, bool Pass, string Baseline);

/// <summary>What was seeded and how long it took.</summary>
public sealed record CrmSeedReport(
    long Leads, long LiveLeads, long Contacts, long Events, long Tags, long AssignedLeads, IReadOnlyDictionary<string, long> LiveByStatus,
    double LeadsSeconds, double IndexesSeconds, double AnalyzeSeconds, double SeedSeconds, long DatabaseBytes, double UpkeepSeconds, bool UpkeepDrained);

/// <summary>Everything one CRM run measured on one provider; printed as a table and saved as JSON.</summary>
public sealed record CrmReport(
    string Provider,
    string SourceVersion,
    DateTimeOffset StartedAt,
    double DurationSeconds,
    MachineInfo Machine,
    BenchArguments Settings,
    CrmSeedReport Seed,
    CrmLatencyResult List,
    CrmLatencyResult SearchByEmail,
    CrmLatencyResult SearchByPhone,
    ExportResult Export,
    BulkResult Bulk,
    long ServerPeakRssKbAtEnd,
    IReadOnlyList<CrmTargetCheck> Targets)
{
    public const double ListP95TargetMs = 50;
    public const double SearchP95TargetMs = 20;
    public const double ExportTargetSeconds = 20;
    public const double ExportRssTargetMb = 300;
    public const double BulkTargetSeconds = 15;

    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    public static IReadOnlyList<CrmTargetCheck> Check(CrmLatencyResult list, CrmLatencyResult email, CrmLatencyResult phone, ExportResult export, BulkResult bulk)
    {
        var exportMb = BenchReport.Megabytes(export.PeakRssKb);
        var exportComplete = export.Unavailable is null && export.Rows >= export.ExpectedRows;
        return
        [
            Latency(list, ListP95TargetMs),
            Latency(email, SearchP95TargetMs),
            Latency(phone, SearchP95TargetMs),
            new("CSV export, all leads", export.Seconds, "s", "<=", ExportTargetSeconds, export.Unavailable is null, exportComplete && export.Seconds <= ExportTargetSeconds,
                export.Unavailable is null ? string.Create(CultureInfo.InvariantCulture, $"same rows read by raw SQL {export.SqlSeconds:0.0} s") : ""),
            new("export: server peak RSS", exportMb, "MB", "<=", ExportRssTargetMb, export.Unavailable is null, export.Unavailable is null && exportMb <= ExportRssTargetMb,
                export.Unavailable is null ? string.Create(CultureInfo.InvariantCulture, $"RSS before the export {BenchReport.Megabytes(export.RssBeforeKb):0} MB") : ""),
            new(bulk.Matching > 0 ? $"bulk status change, {bulk.Matching:N0} leads" : "bulk status change", bulk.Seconds, "s", "<=", BulkTargetSeconds, bulk.Unavailable is null,
                bulk.Succeeded && bulk.StillNewAfter == 0 && bulk.Seconds <= BulkTargetSeconds,
                bulk.Unavailable is null ? string.Create(CultureInfo.InvariantCulture, $"2 SQL statements on {bulk.SqlRows:N0} leads {bulk.SqlSeconds:0.0} s") : ""),
        ];
    }

    private static CrmTargetCheck Latency(CrmLatencyResult result, double targetMs) => new(
        result.Name, result.Leadwire.P95Ms, "ms", "<=", targetMs, result.Unavailable is null,
        result.Unavailable is null && result.Leadwire.Count > 0 && result.Errors == 0 && result.Leadwire.P95Ms <= targetMs,
        result.Unavailable is null
            ? string.Create(CultureInfo.InvariantCulture, $"lead detail p95 {result.DetailBaseline.P95Ms:0.0} ms · raw SQL p95 {result.SqlBaseline.P95Ms:0.0} ms")
            : "");

    public string ToTable()
    {
        var text = new StringBuilder();
        var s = Seed;
        Line(text, $"Leadwire CRM benchmark — {Provider} — {StartedAt:yyyy-MM-dd HH:mm} UTC — commit {SourceVersion} — {Machine.Cores} cores ({Machine.Cpu}) — {Machine.Runtime}");
        Line(text, $"{s.Leads:N0} leads in one workspace ({s.LiveLeads:N0} live, {s.Contacts:N0} contacts, {s.Events:N0} timeline events, {s.Tags:N0} tags), " +
            $"seeded in {s.SeedSeconds:0} s (rows {s.LeadsSeconds:0} s, indexes {s.IndexesSeconds:0} s, statistics {s.AnalyzeSeconds:0} s); database {s.DatabaseBytes / 1e9:0.00} GB");
        Line(text, $"server start-up upkeep (rescoring, SLA check) {(s.UpkeepDrained ? "done" : "NOT done")} after {s.UpkeepSeconds:0} s, before measuring");
        Line(text, $"load average at start {Machine.LoadAverageAtStart}, at end {Machine.LoadAverageAtEnd}; run took {DurationSeconds:0} s");
        Line(text, "");
        Line(text, $"{"figure",-36} {"leadwire",-14} {"target",-10} {"",-5} baseline (same run)");
        foreach (var t in Targets)
        {
            var value = t.Available ? Format(t.Value, t.Unit) : "not available";
            var target = $"{(t.Comparison == "<=" ? "≤" : "≥")} {Format(t.Target, t.Unit)}";
            Line(text, $"{t.Name,-36} {value,-14} {target,-10} {(t.Available ? t.Pass ? "PASS" : "MISS" : "n/a"),-5} {t.Baseline}");
        }
        Line(text, "");
        Line(text, "details");
        foreach (var latency in new[] { List, SearchByEmail, SearchByPhone })
        {
            Line(text, $"  {latency.Name}: {latency.ExampleRequest}");
            if (latency.Unavailable is not null)
            {
                Line(text, $"    not available: {latency.Unavailable}");
                continue;
            }
            Line(text, $"    leadwire     {Percentiles(latency.Leadwire)}");
            foreach (var (shape, summary) in latency.ByShape)
            {
                Line(text, $"      {shape,-44} {Percentiles(summary)}");
            }
            Line(text, $"    lead detail  {Percentiles(latency.DetailBaseline)}");
            Line(text, $"    raw SQL      {Percentiles(latency.SqlBaseline)}");
            foreach (var (shape, summary) in latency.SqlByShape)
            {
                Line(text, $"      {shape,-44} {Percentiles(summary)}");
            }
            Line(text, $"    errors {latency.Errors}, answers not matching the request {latency.WrongAnswers}{(latency.FirstProblem is null ? "" : $" (first: {latency.FirstProblem})")}");
        }

        var export = Export;
        Line(text, $"  export: GET {export.Request}");
        if (export.Unavailable is not null)
        {
            Line(text, $"    not available: {export.Unavailable}");
        }
        else
        {
            Line(text, string.Create(CultureInfo.InvariantCulture,
                $"    {export.Bytes / 1e6:N0} MB, {export.Rows:N0} rows (expected {export.ExpectedRows:N0} live leads){(export.Rows < export.ExpectedRows ? " INCOMPLETE" : "")}; first byte after {export.SecondsToFirstByte * 1000:0} ms; {export.Rows / Math.Max(export.Seconds, 1e-9):N0} rows/s"));
            Line(text, $"    server VmHWM after the export {BenchReport.Megabytes(export.PeakRssKb):0} MB ({export.PeakRssKb / 1024.0:0} MiB), sampled VmRSS peak {BenchReport.Megabytes(export.SampledPeakRssKb):0} MB, before {BenchReport.Megabytes(export.RssBeforeKb):0} MB");
            Line(text, $"    cpu: {export.Cpu}");
            Line(text, $"    raw SQL: {export.SqlRows:N0} rows, the export's columns, in {export.SqlSeconds:0.0} s; cpu: {export.SqlCpu}");
            Line(text, $"    columns: {export.Header}");
        }

        var bulk = Bulk;
        Line(text, $"  bulk: {bulk.Request}");
        if (bulk.Unavailable is not null)
        {
            Line(text, $"    not available: {bulk.Unavailable}");
        }
        else
        {
            Line(text, $"    {bulk.FinalStatus} after {bulk.Seconds:0.0} s (accepted in {bulk.AcceptSeconds * 1000:0} ms); total {bulk.Total:N0}, processed {bulk.Processed:N0}, failed {bulk.Failed:N0}; " +
                $"{bulk.Matching:N0} leads matched before, {bulk.StillNewAfter:N0} still new after");
            Line(text, "    progress (s → processed): " + string.Join("  ", Thin(bulk.Progress).Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Seconds:0.0}→{p.Processed:N0}"))));
            Line(text, $"    cpu: {bulk.Cpu}");
        }
        Line(text, $"  server VmHWM at the end of the run {BenchReport.Megabytes(ServerPeakRssKbAtEnd):0} MB (the bulk change included)");
        return text.ToString();
    }

    public string Save(string directory)
    {
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, $"{StartedAt:yyyyMMdd-HHmmss}-crm-{Provider}.json");
        File.WriteAllText(path, JsonSerializer.Serialize(this, Json) + "\n");
        return path;
    }

    private static IEnumerable<BulkProgressPoint> Thin(IReadOnlyList<BulkProgressPoint> progress)
    {
        var step = Math.Max(1, progress.Count / 12);
        for (var i = 0; i < progress.Count; i++)
        {
            if (i % step == 0 || i == progress.Count - 1)
            {
                yield return progress[i];
            }
        }
    }

    private static string Format(double value, string unit) => unit switch
    {
        "ms" => string.Create(CultureInfo.InvariantCulture, $"{value:0.0} ms"),
        "s" => string.Create(CultureInfo.InvariantCulture, $"{value:0.0} s"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{value:0} {unit}"),
    };

    private static void Line(StringBuilder text, string line) => text.Append(line).Append('\n');

    private static string Percentiles(LatencySummary s) =>
        string.Create(CultureInfo.InvariantCulture,
            $"n={s.Count:N0}  mean {s.MeanMs:0.0}  p50 {s.P50Ms:0.0}  p90 {s.P90Ms:0.0}  p95 {s.P95Ms:0.0}  p99 {s.P99Ms:0.0}  max {s.MaxMs:0.0} ms");
}
