using Leadwire.Bench.Crm.Seeding;
using Leadwire.Bench.Load;

namespace Leadwire.Bench.Crm.Phases;

/// <summary>
/// Search by email and by phone through the list's q parameter, for seeded leads spread over the whole table.
/// Emails are sent as people type them (every other one upper-cased); phones the way people write them,
/// "+1 (555) 555-0100", which the server must normalise to the stored digits. An answer counts as right when it
/// holds the seeded lead. Each search is followed by its two baselines: a lead detail request, and the same lookup as
/// raw SQL on the normalised column.
/// </summary>
public static class SearchPhase
{
    private const int WarmupRequests = 20;

    public static async Task<(CrmLatencyResult Email, CrmLatencyResult Phone)> RunAsync(CrmContext context, CancellationToken cancellationToken)
    {
        context.Progress("search by email and by phone");
        var email = await RunKindAsync(context, "search by email", "email_normalized", s => s.Email.Length % 2 == 0 ? s.Email.ToUpperInvariant() : s.Email,
            s => s.Email.ToLowerInvariant(), cancellationToken);
        var phone = await RunKindAsync(context, "search by phone", "phone_normalized", s => Written(s.PhoneNormalized), s => s.PhoneNormalized, cancellationToken);
        return (email, phone);
    }

    /// <summary>"15125550100" as a person writes it: "+1 (512) 555-0100".</summary>
    public static string Written(string digits) =>
        digits.Length == 11 && digits[0] == '1' ? $"+1 ({digits[1..4]}) {digits[4..7]}-{digits[7..]}" : "+" + digits;

    private static async Task<CrmLatencyResult> RunKindAsync(
        CrmContext context, string name, string column, Func<CrmSample, string> typed, Func<CrmSample, string> normalised, CancellationToken cancellationToken)
    {
        var samples = context.Samples;
        string Url(CrmSample s) => "/api/v1/leads?q=" + Uri.EscapeDataString(typed(s));
        var example = "GET " + Url(samples[0]);

        var probe = await context.Api.GetAsync(Url(samples[0]), cancellationToken);
        if (probe.Status is 404 or 405 or 400)
        {
            return CrmLatencyResult.NotAvailable(name, example, $"answered {probe.Status}: {probe.Snippet}");
        }
        for (var i = 0; i < WarmupRequests; i++)
        {
            await context.Api.GetAsync(Url(samples[(i * 37) % samples.Count]), cancellationToken);
            await context.Api.GetAsync(context.DetailPath(i), cancellationToken);
        }

        var measured = new List<double>();
        var detail = new List<double>();
        var sql = new List<double>();
        int errors = 0, wrong = 0;
        string? firstProblem = null;
        var requests = context.Arguments.CrmRequests;
        // A stride through the samples so that consecutive searches hit different parts of the table.
        var picked = Enumerable.Range(0, requests).Select(i => samples[(int)((i * 7919L) % samples.Count)]).ToList();
        for (var i = 0; i < picked.Count; i++)
        {
            var sample = picked[i];
            var response = await context.Api.GetAsync(Url(sample), cancellationToken);
            measured.Add(response.Milliseconds);
            // Both baselines right after, so that all three see the machine in the same state.
            detail.Add((await context.Api.GetAsync(context.DetailPath(i + 500), cancellationToken)).Milliseconds);
            sql.Add((await context.Database.QueryAsync(
                $"SELECT l.* FROM leads l WHERE l.workspace_id = @w AND l.deleted_at IS NULL AND l.{column} = @value " +
                $"ORDER BY l.created_time DESC, l.id DESC LIMIT {CrmContext.PageSize + 1}",
                [("@w", context.Workspace.WorkspaceId), ("@value", normalised(sample))], cancellationToken)).Milliseconds);
            if (!response.IsSuccess)
            {
                errors++;
                firstProblem ??= $"{Url(sample)} answered {response.Status}: {response.Snippet}";
                continue;
            }
            using var document = response.TryJson();
            if (!LeadJson.Items(document).Any(item => LeadJson.Number(item, "id") == sample.Id))
            {
                wrong++;
                firstProblem ??= $"{Url(sample)} did not return lead {sample.Id}: {response.Snippet}";
            }
        }

        context.Progress($"  {name}: {measured.Count} API requests done");

        var unavailable = wrong > measured.Count / 10
            ? $"{wrong} of {measured.Count} searches did not find their lead, e.g. {firstProblem}"
            : null;
        return new CrmLatencyResult(name, example, LatencySummary.Of(measured), new Dictionary<string, LatencySummary>(),
            LatencySummary.Of(detail), LatencySummary.Of(sql), new Dictionary<string, LatencySummary>(), errors, wrong, firstProblem, unavailable);
    }
}
