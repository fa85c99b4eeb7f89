using System.Globalization;
using System.Text.Json;
using Leadwire.Bench.Crm.Seeding;
using Leadwire.Bench.Load;

namespace Leadwire.Bench.Crm.Phases;

/// <summary>
/// The lead list with two filters and a sort, the way people page through it: two shapes of request with varied
/// values — status + page sorted newest first, and assignee + score range sorted by score — a quarter of them
/// followed by two more pages through next_cursor. Every page is one timed request, sent one at a time, each
/// followed by its two baselines: a lead detail request, and the same page as raw SQL on the database.
/// </summary>
public static class ListPhase
{
    private static readonly string[] Statuses = ["new", "contacted", "qualified"];
    private static readonly (int Min, int Max)[] ScoreRanges = [(50, 100), (70, 100), (0, 40), (30, 70)];
    private const int WarmupRequests = 30;

    /// <summary>Distinct requests (filter value combinations) the measured ones cycle through.</summary>
    private const int PlanCount = 120;

    private enum Order
    {
        CreatedDesc,
        ScoreDesc,
    }

    private sealed record Plan(string Shape, string Query, Order Order, Func<JsonElement, string?> Check, string SqlFilter, (string Name, object Value)[] Parameters);

    public static async Task<CrmLatencyResult> RunAsync(CrmContext context, CancellationToken cancellationToken)
    {
        const string name = "list, 2 filters + sort";
        var workspace = context.Workspace;
        var example = $"/api/v1/leads?status=new&page_id={workspace.Pages[0].MetaPageId}&sort=created_desc";
        context.Progress("lead list: two filters and a sort");

        var probe = await context.Api.GetAsync(example, cancellationToken);
        if (probe.Status is 404 or 405)
        {
            return CrmLatencyResult.NotAvailable(name, example, $"GET /api/v1/leads answered {probe.Status}");
        }
        if (!probe.IsSuccess)
        {
            return CrmLatencyResult.NotAvailable(name, example, $"GET {example} answered {probe.Status}: {probe.Snippet}");
        }
        using (var document = probe.TryJson())
        {
            var items = LeadJson.Items(document);
            if (items.Count == 0 || !items[0].TryGetProperty("status", out _))
            {
                return CrmLatencyResult.NotAvailable(name, example,
                    "the list's leads carry no status (the CRM list with filters and sorts is not there yet): " + probe.Snippet);
            }
        }
        // If the list refused score_desc, the second shape is sorted newest first instead (its name says so).
        var scoreSort = (await context.Api.GetAsync($"/api/v1/leads?assignee={workspace.Agents[0].UserId}&score_min=50&score_max=100&sort=score_desc", cancellationToken)).IsSuccess
            ? "score_desc"
            : "created_desc";

        var plans = Plans(context, scoreSort).Take(PlanCount).ToList();
        for (var i = 0; i < WarmupRequests; i++)
        {
            await context.Api.GetAsync("/api/v1/leads?" + plans[i % plans.Count].Query, cancellationToken);
            await context.Api.GetAsync(context.DetailPath(i), cancellationToken);
        }

        var measured = new List<(string Shape, double Ms)>();
        var detail = new List<double>();
        var sql = new List<(string Shape, double Ms)>();
        int errors = 0, wrong = 0;
        string? firstProblem = null;
        for (var p = 0; measured.Count < context.Arguments.CrmRequests; p++)
        {
            var plan = plans[p % plans.Count];
            var pages = p % 4 == 0 ? 3 : 1;
            string? cursor = null;
            IReadOnlyList<object?> lastRaw = [];
            for (var page = 0; page < pages && measured.Count < context.Arguments.CrmRequests; page++)
            {
                var url = "/api/v1/leads?" + plan.Query + (cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor));
                var response = await context.Api.GetAsync(url, cancellationToken);
                measured.Add((plan.Shape, response.Milliseconds));
                // Both baselines right after, so that all three see the machine in the same state.
                detail.Add((await context.Api.GetAsync(context.DetailPath(measured.Count), cancellationToken)).Milliseconds);
                var raw = await RawPageAsync(context, plan, page == 0 ? null : lastRaw, cancellationToken);
                sql.Add((plan.Shape, raw.Milliseconds));
                lastRaw = raw.LastRow;
                if (!response.IsSuccess)
                {
                    errors++;
                    firstProblem ??= $"{url} answered {response.Status}: {response.Snippet}";
                    break;
                }
                using var document = response.TryJson();
                var problem = LeadJson.Items(document).Select(plan.Check).FirstOrDefault(c => c is not null);
                if (problem is not null)
                {
                    wrong++;
                    firstProblem ??= $"{url}: {problem}";
                }
                cursor = LeadJson.NextCursor(document);
                if (cursor is null)
                {
                    break;
                }
            }
        }

        context.Progress($"  {measured.Count} API requests done");
        var unavailable = wrong > measured.Count / 10
            ? $"{wrong} of {measured.Count} answers did not match their filter, e.g. {firstProblem}"
            : null;
        return new CrmLatencyResult(
            name, example + $"  |  /api/v1/leads?assignee=<agent>&score_min=50&score_max=100&sort={scoreSort}",
            LatencySummary.Of(measured.Select(m => m.Ms)),
            measured.GroupBy(m => m.Shape).ToDictionary(g => g.Key, g => LatencySummary.Of(g.Select(m => m.Ms))),
            LatencySummary.Of(detail), LatencySummary.Of(sql.Select(m => m.Ms)),
            sql.GroupBy(m => m.Shape).ToDictionary(g => g.Key, g => LatencySummary.Of(g.Select(m => m.Ms))),
            errors, wrong, firstProblem, unavailable);
    }

    /// <summary>The two shapes alternately, each walking through its value combinations (endless: take what you need).</summary>
    private static IEnumerable<Plan> Plans(CrmContext context, string scoreSort)
    {
        var workspace = context.Workspace;
        var w = workspace.WorkspaceId;
        for (var i = 0; ; i++)
        {
            var status = Statuses[i % Statuses.Length];
            var page = workspace.Pages[(i / Statuses.Length) % workspace.Pages.Count];
            var statusName = char.ToUpperInvariant(status[0]) + status[1..];
            yield return new Plan(
                "status + page, newest first",
                $"status={status}&page_id={page.MetaPageId}&sort=created_desc",
                Order.CreatedDesc,
                item => !string.Equals(LeadJson.Text(item, "status"), status, StringComparison.OrdinalIgnoreCase)
                    ? $"a lead with status {LeadJson.Text(item, "status")}"
                    : LeadJson.Text(item, "page_id") is { } pageId && pageId != page.MetaPageId ? $"a lead of page {pageId}" : null,
                "l.status = @status AND l.meta_page_id = @page",
                [("@w", w), ("@status", statusName), ("@page", page.MetaPageId)]);

            var agent = workspace.Agents[i % workspace.Agents.Count];
            var (min, max) = ScoreRanges[(i / workspace.Agents.Count) % ScoreRanges.Length];
            yield return new Plan(
                scoreSort == "score_desc" ? "assignee + score range, highest score first" : "assignee + score range, newest first",
                string.Create(CultureInfo.InvariantCulture, $"assignee={agent.UserId}&score_min={min}&score_max={max}&sort={scoreSort}"),
                scoreSort == "score_desc" ? Order.ScoreDesc : Order.CreatedDesc,
                item => LeadJson.AssigneeId(item) is { } assignee && assignee != agent.UserId
                    ? $"a lead assigned to {assignee}"
                    : LeadJson.Number(item, "score") is { } score && (score < min || score > max) ? $"a lead with score {score}" : null,
                "l.assignee_user_id = @agent AND l.score >= @min AND l.score <= @max",
                [("@w", w), ("@agent", agent.UserId), ("@min", min), ("@max", max)]);
        }
    }

    /// <summary>
    /// The same filter, order and page as SQL written by hand (the keyset condition in the server's form, see
    /// Features/Leads/LeadList.cs), on a pooled connection of the bench. A next page continues after the last row
    /// read (the 51st), one row further than the API's cursor: the same work.
    /// </summary>
    private static Task<RawQueryResult> RawPageAsync(CrmContext context, Plan plan, IReadOnlyList<object?>? after, CancellationToken cancellationToken)
    {
        var (orderBy, keyset, keyColumn) = plan.Order == Order.ScoreDesc
            ? ("l.score DESC, l.id DESC", "l.score <= @k AND (l.score < @k OR l.id < @id)", 2)
            : ("l.created_time DESC, l.id DESC", "l.created_time <= @k AND (l.created_time < @k OR l.id < @id)", 1);
        var parameters = plan.Parameters.ToList();
        var where = $"l.workspace_id = @w AND l.deleted_at IS NULL AND {plan.SqlFilter}";
        if (after is { Count: > 0 })
        {
            where += " AND " + keyset;
            parameters.Add(("@k", after[keyColumn]!));
            parameters.Add(("@id", after[0]!));
        }
        return context.Database.QueryAsync(
            $"SELECT l.id, l.created_time, l.score, l.* FROM leads l WHERE {where} ORDER BY {orderBy} LIMIT {CrmContext.PageSize + 1}",
            parameters, cancellationToken);
    }
}
