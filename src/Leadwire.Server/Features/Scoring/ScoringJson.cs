using System.Text.Json;

namespace Leadwire.Features.Scoring;

/// <summary>
/// How rules and reasons are stored: snake_case JSON, the same names the API shows, so a stored document reads like
/// the request that saved it and the reasons on a lead read like the scoring API's field names.
/// </summary>
public static class ScoringJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
    };

    public static string SerializeRules(ScoringRules rules) => JsonSerializer.Serialize(rules, Options);

    /// <summary>The rules in <paramref name="json"/>; the defaults for null; null when the document is unreadable or invalid.</summary>
    public static ScoringRules? TryParseRules(string? json)
    {
        if (json is null)
        {
            return ScoringRules.Default;
        }
        try
        {
            var rules = JsonSerializer.Deserialize<ScoringRules>(json, Options);
            return rules is not null && rules.Validate().Count == 0 ? rules : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>A JSON array of {factor, points, max_points, explanation}.</summary>
    public static string SerializeReasons(IReadOnlyList<ScoreReason> reasons) => JsonSerializer.Serialize(reasons, Options);

    /// <summary>The stored reasons, or none when there are none or they cannot be read.</summary>
    public static IReadOnlyList<ScoreReason> ReadReasons(string? json)
    {
        if (string.IsNullOrEmpty(json))
        {
            return [];
        }
        try
        {
            return JsonSerializer.Deserialize<List<ScoreReason>>(json, Options) ?? [];
        }
        catch (JsonException)
        {
            return [];
        }
    }

    /// <summary>
    /// Whether two sets of reasons give the same points. Explanations say "created 5 h ago" and change by the hour;
    /// rewriting every lead for a sentence alone would turn the hourly ageing into a flood of writes.
    /// </summary>
    public static bool SamePoints(IReadOnlyList<ScoreReason> stored, IReadOnlyList<ScoreReason> computed)
    {
        if (stored.Count != computed.Count)
        {
            return false;
        }
        for (var i = 0; i < stored.Count; i++)
        {
            if (stored[i].Factor != computed[i].Factor || stored[i].Points != computed[i].Points || stored[i].MaxPoints != computed[i].MaxPoints)
            {
                return false;
            }
        }
        return true;
    }
}
