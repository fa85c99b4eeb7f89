using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using Leadwire.Infrastructure;
using Microsoft.Extensions.Options;

namespace Leadwire.Meta;

/// <summary>
/// The Graph API as Leadwire uses it. Tokens travel in the Authorization header (never in a URL that could be
/// logged) with <c>appsecret_proof</c> beside them; every failure comes back as a typed <see cref="GraphException"/>.
/// </summary>
public sealed class GraphClient(HttpClient http, IOptionsMonitor<MetaOptions> meta, IOptionsMonitor<JobOptions> jobs, GraphRateGate gate)
{
    public const string FormFields = "id,name,status,locale,created_time,questions";

    public async Task<GraphLead> GetLeadAsync(string leadgenId, string accessToken, string rateScope, CancellationToken cancellationToken)
    {
        var query = new Dictionary<string, string> { ["fields"] = meta.CurrentValue.LeadFields };
        using var document = await GetAsync(Uri.EscapeDataString(leadgenId), query, accessToken, rateScope, cancellationToken);
        return GraphLead.Parse(document.RootElement);
    }

    /// <summary>One page of <c>/{form-id}/leads</c> created at or after <paramref name="since"/>.</summary>
    public async Task<GraphPage<GraphLead>> GetFormLeadsAsync(
        string formId, string accessToken, string rateScope, DateTime since, string? after, int limit, CancellationToken cancellationToken)
    {
        var filter = $$"""[{"field":"time_created","operator":"GREATER_THAN_OR_EQUAL","value":{{new DateTimeOffset(since).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)}}}]""";
        var query = new Dictionary<string, string>
        {
            ["fields"] = meta.CurrentValue.LeadFields,
            ["filtering"] = filter,
            ["limit"] = limit.ToString(CultureInfo.InvariantCulture),
        };
        if (after is not null)
        {
            query["after"] = after;
        }
        using var document = await GetAsync($"{Uri.EscapeDataString(formId)}/leads", query, accessToken, rateScope, cancellationToken);
        return ReadPage(document.RootElement, GraphLead.Parse);
    }

    public async Task<GraphPage<GraphForm>> GetPageFormsAsync(string pageId, string accessToken, string? after, CancellationToken cancellationToken)
    {
        var query = new Dictionary<string, string> { ["fields"] = FormFields, ["limit"] = "100" };
        if (after is not null)
        {
            query["after"] = after;
        }
        using var document = await GetAsync($"{Uri.EscapeDataString(pageId)}/leadgen_forms", query, accessToken, pageId, cancellationToken);
        return ReadPage(document.RootElement, GraphForm.Parse);
    }

    private async Task<JsonDocument> GetAsync(
        string path, Dictionary<string, string> query, string accessToken, string rateScope, CancellationToken cancellationToken)
    {
        if (gate.Remaining(rateScope) is { } wait)
        {
            // Calling while throttled extends Meta's block: wait here instead.
            throw new GraphRateLimitedException(null, null, wait, $"Holding calls for {rateScope}: Meta asked for a pause of {wait.TotalSeconds:0} s more.");
        }

        var options = meta.CurrentValue;
        query["appsecret_proof"] = AppSecretProof.Compute(options.AppSecret ?? "", accessToken);
        var url = $"{options.GraphBaseUrl.TrimEnd('/')}/{options.GraphVersion}/{path}?{string.Join('&', query.Select(p => $"{p.Key}={Uri.EscapeDataString(p.Value)}"))}";

        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);

        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
        }
        catch (HttpRequestException e)
        {
            throw new GraphTransientException(null, null, $"Meta could not be reached: {e.Message}", e);
        }
        catch (TaskCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new GraphTransientException(null, null, "Meta did not answer in time.", e);
        }

        using (response)
        {
            var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                var failure = GraphErrorClassifier.Classify(GraphErrorClassifier.Parse(body), (int)response.StatusCode, response.Headers);
                if (failure is GraphRateLimitedException limited)
                {
                    gate.Block(rateScope, limited.RetryAfter ?? jobs.CurrentValue.RateLimitFallbackDelay);
                }
                throw failure;
            }

            // Meta may announce a block on a successful answer; honour it before the next call.
            if (GraphUsage.RetryAfter(response.Headers) is { } announced)
            {
                gate.Block(rateScope, announced);
            }

            try
            {
                var document = JsonDocument.Parse(body);
                if (document.RootElement.ValueKind != JsonValueKind.Object)
                {
                    document.Dispose();
                    throw new GraphPermanentException(null, (int)response.StatusCode, "Meta answered with JSON that is not an object.");
                }
                return document;
            }
            catch (JsonException e)
            {
                throw new GraphTransientException(null, (int)response.StatusCode, $"Meta answered with invalid JSON: {e.Message}", e);
            }
        }
    }

    private static GraphPage<T> ReadPage<T>(JsonElement root, Func<JsonElement, T> parse)
    {
        var items = new List<T>();
        if (root.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in data.EnumerateArray())
            {
                items.Add(parse(item));
            }
        }

        string? after = null;
        if (root.TryGetProperty("paging", out var paging) && paging.TryGetProperty("next", out var next) && next.ValueKind == JsonValueKind.String
            && paging.TryGetProperty("cursors", out var cursors))
        {
            after = GraphJson.String(cursors, "after");
        }
        return new GraphPage<T>(items, after);
    }
}
