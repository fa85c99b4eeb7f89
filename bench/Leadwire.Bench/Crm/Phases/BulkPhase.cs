using System.Diagnostics;
using System.Text.Json;
using Leadwire.Bench.Infrastructure;

namespace Leadwire.Bench.Crm.Phases;

/// <summary>Processed leads of the operation as a poll saw them, seconds after the POST.</summary>
public sealed record BulkProgressPoint(double Seconds, long Processed);

/// <summary>How the bulk status change went.</summary>
public sealed record BulkResult(
    string Request,
    string? Unavailable,
    string FinalStatus,
    double Seconds,
    double AcceptSeconds,
    long Total,
    long Processed,
    long Failed,
    long Matching,
    long StillNewAfter,
    IReadOnlyList<BulkProgressPoint> Progress,
    CpuUsage? Cpu,
    double SqlSeconds,
    long SqlRows)
{
    public static BulkResult NotAvailable(string request, string reason) =>
        new(request, reason, "", 0, 0, 0, 0, 0, 0, 0, [], null, 0, 0);

    public bool Succeeded => Unavailable is null && FinalStatus.Equals("succeeded", StringComparison.OrdinalIgnoreCase);
}

/// <summary>
/// POST /api/v1/bulk-operations changing the status of every new lead of one page (~100,000 of a million) to
/// contacted, then GET /api/v1/bulk-operations/{id} every 100 ms until it is done: the time is from the POST to the
/// first answer that says finished. Afterwards the database is asked how many of those leads are still new. The
/// baseline is the same change written as two set-based statements (the timeline events, then the update) in one
/// transaction straight on the database, on another page's new leads (as many; the server's leads are changed
/// already).
/// </summary>
public static class BulkPhase
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(10);

    public static async Task<BulkResult> RunAsync(CrmContext context, CancellationToken cancellationToken)
    {
        var workspace = context.Workspace;
        var page = workspace.Pages[0];
        // The filter is the lead list's query parameters as an object (Features/Bulk/BulkOperationRequest.cs).
        var body = new Dictionary<string, object>
        {
            ["action"] = "status",
            ["filter"] = new Dictionary<string, object> { ["status"] = "new", ["page_id"] = page.MetaPageId },
            ["params"] = new Dictionary<string, object> { ["status"] = "contacted" },
        };
        var request = "POST /api/v1/bulk-operations " + JsonSerializer.Serialize(body);
        var matching = await CountNewAsync(context, page.MetaPageId, cancellationToken);
        context.Progress($"bulk status change: {matching:N0} new leads of page {page.MetaPageId} → contacted");

        var cpu = CpuUsage.Start(context.Server);
        var clock = Stopwatch.StartNew();
        var accepted = await context.Api.PostJsonAsync("/api/v1/bulk-operations", body, cancellationToken);
        var acceptSeconds = clock.Elapsed.TotalSeconds;
        if (accepted.Status is 404 or 405)
        {
            return BulkResult.NotAvailable(request, $"answered {accepted.Status}: the bulk operations API is not there yet");
        }
        using var acceptedJson = accepted.TryJson();
        if (!accepted.IsSuccess || acceptedJson is null || LeadJsonId(acceptedJson.RootElement) is not { } id)
        {
            return BulkResult.NotAvailable(request, $"answered {accepted.Status}: {accepted.Snippet}");
        }

        var progress = new List<BulkProgressPoint>();
        string status = "", lastBody = "";
        long total = 0, processed = 0, failed = 0;
        while (clock.Elapsed < Timeout)
        {
            var poll = await context.Api.GetAsync($"/api/v1/bulk-operations/{id}", cancellationToken);
            using var json = poll.TryJson();
            if (poll.IsSuccess && json is not null)
            {
                var root = json.RootElement;
                status = Phases.LeadJson.Text(root, "status") ?? "";
                total = Phases.LeadJson.Number(root, "total") ?? total;
                processed = Phases.LeadJson.Number(root, "processed") ?? processed;
                failed = Phases.LeadJson.Number(root, "failed") ?? failed;
                lastBody = poll.Snippet;
                if (progress.Count == 0 || progress[^1].Processed != processed)
                {
                    progress.Add(new BulkProgressPoint(clock.Elapsed.TotalSeconds, processed));
                }
                if (status.Equals("succeeded", StringComparison.OrdinalIgnoreCase) || status.Equals("failed", StringComparison.OrdinalIgnoreCase))
                {
                    break;
                }
            }
            await Task.Delay(100, cancellationToken);
        }
        var seconds = clock.Elapsed.TotalSeconds;
        var usage = cpu.Stop();
        if (status.Length == 0)
        {
            return BulkResult.NotAvailable(request, $"GET /api/v1/bulk-operations/{id} never said how it went: {lastBody}");
        }
        var stillNew = await CountNewAsync(context, page.MetaPageId, cancellationToken);

        // The baseline: the same change on the next page, as plain SQL.
        var other = workspace.Pages[1];
        context.Progress($"  {status} after {seconds:0.0} s; the same change as two SQL statements on page {other.MetaPageId}");
        var now = TimeProvider.System.GetUtcNow().UtcDateTime;
        (string, object)[] parameters = [("@w", workspace.WorkspaceId), ("@page", other.MetaPageId), ("@now", now), ("@actor", workspace.OwnerEmail), ("@owner", workspace.OwnerUserId)];
        const string Matching = "workspace_id = @w AND status = 'New' AND meta_page_id = @page AND deleted_at IS NULL";
        var (sqlSeconds, sqlRows) = await context.Database.ExecuteInTransactionAsync(
        [
            "INSERT INTO lead_events (lead_id, workspace_id, type, actor_user_id, actor, at, data_json) " +
            $"SELECT id, workspace_id, 'status_changed', @owner, @actor, @now, '{{\"from\":\"new\",\"to\":\"contacted\"}}' FROM leads WHERE {Matching}",
            "UPDATE leads SET status = 'Contacted', status_changed_at = @now, contacted_at = COALESCE(contacted_at, @now), updated_at = @now " +
            $"WHERE {Matching}",
        ], parameters, cancellationToken);

        return new BulkResult(request, null, status, seconds, acceptSeconds, total, processed, failed, matching, stillNew, progress, usage, sqlSeconds, sqlRows);
    }

    private static long? LeadJsonId(JsonElement root) => Phases.LeadJson.Number(root, "id");

    private static Task<long> CountNewAsync(CrmContext context, string metaPageId, CancellationToken cancellationToken) =>
        context.Database.CountAsync(
            "SELECT count(*) FROM leads WHERE workspace_id = @w AND status = 'New' AND meta_page_id = @page AND deleted_at IS NULL",
            [("@w", context.Workspace.WorkspaceId), ("@page", metaPageId)], cancellationToken);
}
