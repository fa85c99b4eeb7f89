using System.Diagnostics;
using Leadwire.Bench.Infrastructure;

namespace Leadwire.Bench.Crm.Phases;

/// <summary>How the CSV export of every lead went.</summary>
public sealed record ExportResult(
    string Request,
    string? Unavailable,
    int Status,
    double SecondsToFirstByte,
    double Seconds,
    long Bytes,
    long Rows,
    long ExpectedRows,
    string Header,
    long RssBeforeKb,
    long PeakRssKb,
    long SampledPeakRssKb,
    CpuUsage? Cpu,
    double SqlSeconds,
    long SqlRows,
    CpuUsage? SqlCpu)
{
    public static ExportResult NotAvailable(string request, string reason, int status) =>
        new(request, reason, status, 0, 0, 0, 0, 0, "", 0, 0, 0, null, 0, 0, null);
}

/// <summary>
/// GET /api/v1/leads/export?format=csv of the whole workspace, read to the last byte as a download would be (lines
/// counted, nothing kept). The server's peak RSS is its VmHWM after the export: the kernel's high-water mark since
/// the process started, so it covers the list and search phases too, the stricter reading. The baseline is reading
/// the same rows and the columns the export is made of (Features/Export/LeadExport.cs: ExportRow), in id order like
/// the export, straight from the database into the bench: what the database alone needs to hand the rows over.
/// </summary>
public static class ExportPhase
{
    public const string Request = "/api/v1/leads/export?format=csv";

    private const string ExportColumns =
        "l.id, l.meta_lead_id, l.created_time, l.status, l.status_reason, l.assignee_user_id, l.score, l.meta_page_id, l.form_id, " +
        "l.meta_form_id, l.campaign_id, l.campaign_name, l.adset_id, l.adset_name, l.ad_id, l.ad_name, l.platform, l.is_organic, l.is_test, " +
        "l.full_name, l.first_name, l.last_name, l.email, l.phone, l.street_address, l.city, l.state, l.zip, l.country, l.company_name, " +
        "l.job_title, l.contacted_at, l.converted_at, l.answers_json, l.deleted_at, l.erased_at";

    public static async Task<ExportResult> RunAsync(CrmContext context, CancellationToken cancellationToken)
    {
        context.Progress($"CSV export of every lead: GET {Request}");
        var before = context.Server.ReadMemory();
        var cpu = CpuUsage.Start(context.Server);
        var clock = Stopwatch.StartNew();
        using var response = await context.Api.Http.GetAsync(new Uri(Request, UriKind.Relative), HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        var firstByte = clock.Elapsed.TotalSeconds;
        if (!response.IsSuccessStatusCode)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            return ExportResult.NotAvailable(Request, $"answered {(int)response.StatusCode}: {body[..Math.Min(body.Length, 300)]}", (int)response.StatusCode);
        }

        long bytes = 0, lines = 0;
        var header = new List<byte>();
        var buffer = new byte[1 << 16];
        await using (var stream = await response.Content.ReadAsStreamAsync(cancellationToken))
        {
            int read;
            while ((read = await stream.ReadAsync(buffer, cancellationToken)) > 0)
            {
                var span = buffer.AsSpan(0, read);
                if (lines == 0)
                {
                    var end = span.IndexOf((byte)'\n');
                    header.AddRange((end < 0 ? span : span[..end]).ToArray());
                }
                bytes += read;
                lines += span.Count((byte)'\n');
            }
        }
        var seconds = clock.Elapsed.TotalSeconds;
        var usage = cpu.Stop();
        var after = context.Server.ReadMemory();

        context.Progress($"  {bytes / 1e6:N0} MB, {lines:N0} lines in {seconds:0.0} s; the same rows read straight from the database");
        var sqlCpu = CpuUsage.Start(context.Server);
        var sqlClock = Stopwatch.StartNew();
        var sql = await context.Database.QueryAsync(
            $"SELECT {ExportColumns} FROM leads l WHERE l.workspace_id = @w AND l.deleted_at IS NULL ORDER BY l.id",
            [("@w", context.Workspace.WorkspaceId)], cancellationToken);
        var sqlSeconds = sqlClock.Elapsed.TotalSeconds;
        var sqlUsage = sqlCpu.Stop();

        var headerText = System.Text.Encoding.UTF8.GetString([.. header]).TrimEnd('\r');
        return new ExportResult(
            Request, null, (int)response.StatusCode, firstByte, seconds, bytes,
            // The header line is not a lead; answers hold no line breaks in the seeded data.
            Math.Max(0, lines - 1), context.Facts.LiveLeads, headerText.Length > 400 ? headerText[..400] + "…" : headerText,
            before.RssKb, after.PeakRssKb, context.Server.SampledPeakRssKb, usage, sqlSeconds, sql.Rows, sqlUsage);
    }
}
