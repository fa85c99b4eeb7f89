using System.Net.Http.Headers;
using System.Text.Json;

namespace Leadwire.Meta;

/// <summary>
/// Meta's usage headers. <c>X-Business-Use-Case-Usage</c> and <c>X-Page-Usage</c> carry
/// <c>estimated_time_to_regain_access</c> in minutes; the platform headers carry percentages of the hourly quota.
/// </summary>
public static class GraphUsage
{
    private static readonly string[] EstimateHeaders = ["X-Business-Use-Case-Usage", "X-Page-Usage", "X-App-Usage", "X-Ad-Account-Usage"];

    /// <summary>The longest wait any header announces, or null when none does.</summary>
    public static TimeSpan? RetryAfter(HttpResponseHeaders headers)
    {
        TimeSpan? longest = null;
        foreach (var name in EstimateHeaders)
        {
            if (!headers.TryGetValues(name, out var values))
            {
                continue;
            }
            foreach (var value in values)
            {
                var minutes = MaxEstimateMinutes(value);
                if (minutes is > 0 && (longest is null || TimeSpan.FromMinutes(minutes.Value) > longest))
                {
                    longest = TimeSpan.FromMinutes(minutes.Value);
                }
            }
        }
        return longest;
    }

    /// <summary>Highest usage percentage in any header (call_count, total_time, total_cputime, acc_id_util_pct).</summary>
    public static double? PeakUsagePercent(HttpResponseHeaders headers)
    {
        double? peak = null;
        foreach (var name in EstimateHeaders)
        {
            if (!headers.TryGetValues(name, out var values))
            {
                continue;
            }
            foreach (var value in values)
            {
                Walk(value, (key, number) =>
                {
                    if (key is "call_count" or "total_time" or "total_cputime" or "acc_id_util_pct" && (peak is null || number > peak))
                    {
                        peak = number;
                    }
                });
            }
        }
        return peak;
    }

    internal static double? MaxEstimateMinutes(string headerValue)
    {
        double? max = null;
        Walk(headerValue, (key, number) =>
        {
            if (key == "estimated_time_to_regain_access" && (max is null || number > max))
            {
                max = number;
            }
        });
        return max;
    }

    /// <summary>Visits every numeric property, at any depth: BUC headers nest arrays under business ids.</summary>
    private static void Walk(string json, Action<string, double> visit)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            Visit(document.RootElement, null, visit);
        }
        catch (JsonException)
        {
            // A malformed header is Meta's problem, not a reason to fail the call.
        }
    }

    private static void Visit(JsonElement element, string? name, Action<string, double> visit)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    Visit(property.Value, property.Name, visit);
                }
                break;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    Visit(item, name, visit);
                }
                break;
            case JsonValueKind.Number when name is not null:
                visit(name, element.GetDouble());
                break;
            case JsonValueKind.String when name is not null && double.TryParse(element.GetString(), System.Globalization.CultureInfo.InvariantCulture, out var parsed):
                visit(name, parsed);
                break;
        }
    }
}
