using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Leadwire.Meta;

/// <summary>One <c>field_data</c> answer: Meta always sends a list of strings.</summary>
public sealed record GraphFieldData(string Name, IReadOnlyList<string> Values);

/// <summary>A Lead node as Meta returned it; <see cref="RawJson"/> keeps every field, known or not.</summary>
public sealed record GraphLead
{
    public required string Id { get; init; }
    public DateTime? CreatedTime { get; init; }
    public string? FormId { get; init; }
    public string? AdId { get; init; }
    public string? AdName { get; init; }
    public string? AdsetId { get; init; }
    public string? AdsetName { get; init; }
    public string? CampaignId { get; init; }
    public string? CampaignName { get; init; }
    public bool IsOrganic { get; init; }
    public string? Platform { get; init; }
    public string? PartnerName { get; init; }
    public IReadOnlyList<GraphFieldData> FieldData { get; init; } = [];
    public string? CustomDisclaimerResponsesJson { get; init; }
    public required string RawJson { get; init; }

    public static GraphLead Parse(JsonElement node)
    {
        var fieldData = new List<GraphFieldData>();
        if (node.TryGetProperty("field_data", out var fd) && fd.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in fd.EnumerateArray())
            {
                var name = GraphJson.String(item, "name");
                if (name is null)
                {
                    continue;
                }
                var values = new List<string>();
                if (item.TryGetProperty("values", out var v) && v.ValueKind == JsonValueKind.Array)
                {
                    foreach (var value in v.EnumerateArray())
                    {
                        values.Add(value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText());
                    }
                }
                fieldData.Add(new GraphFieldData(name, values));
            }
        }

        return new GraphLead
        {
            Id = GraphJson.Id(node, "id") ?? throw new JsonException("Lead node has no id."),
            CreatedTime = GraphJson.Time(node, "created_time"),
            FormId = GraphJson.Id(node, "form_id"),
            AdId = GraphJson.Id(node, "ad_id"),
            AdName = GraphJson.String(node, "ad_name"),
            AdsetId = GraphJson.Id(node, "adset_id"),
            AdsetName = GraphJson.String(node, "adset_name"),
            CampaignId = GraphJson.Id(node, "campaign_id"),
            CampaignName = GraphJson.String(node, "campaign_name"),
            IsOrganic = node.TryGetProperty("is_organic", out var organic) && organic.ValueKind == JsonValueKind.True,
            Platform = GraphJson.String(node, "platform"),
            PartnerName = GraphJson.String(node, "partner_name"),
            FieldData = fieldData,
            CustomDisclaimerResponsesJson = node.TryGetProperty("custom_disclaimer_responses", out var cdr) ? cdr.GetRawText() : null,
            RawJson = node.GetRawText(),
        };
    }
}

/// <summary>A LeadgenForm with its questions.</summary>
public sealed record GraphForm(
    string Id,
    string Name,
    string Status,
    string? Locale,
    DateTime? CreatedTime,
    string QuestionsJson)
{
    public static GraphForm Parse(JsonElement node) => new(
        Id: GraphJson.Id(node, "id") ?? throw new JsonException("Form node has no id."),
        Name: GraphJson.String(node, "name") ?? "",
        Status: GraphJson.String(node, "status") ?? "ACTIVE",
        Locale: GraphJson.String(node, "locale"),
        CreatedTime: GraphJson.Time(node, "created_time"),
        QuestionsJson: node.TryGetProperty("questions", out var q) && q.ValueKind == JsonValueKind.Array ? q.GetRawText() : "[]");
}

/// <summary>One page of an edge; <see cref="After"/> is null on the last page.</summary>
public sealed record GraphPage<T>(IReadOnlyList<T> Data, string? After);

public sealed record GraphQuestion(
    [property: JsonPropertyName("key")] string? Key,
    [property: JsonPropertyName("label")] string? Label,
    [property: JsonPropertyName("type")] string? Type);

/// <summary>Lenient readers: Meta's ids are strings but some samples print numbers.</summary>
internal static class GraphJson
{
    public static string? String(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    public static string? Id(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v)
            ? v.ValueKind switch
            {
                JsonValueKind.String => v.GetString(),
                JsonValueKind.Number => v.GetRawText(),
                _ => null,
            }
            : null;

    /// <summary>Graph datetimes look like <c>2026-01-01T08:49:14+0000</c>; webhooks use unix seconds.</summary>
    public static DateTime? Time(JsonElement e, string name)
    {
        if (!e.TryGetProperty(name, out var v))
        {
            return null;
        }
        return v.ValueKind switch
        {
            JsonValueKind.Number when v.TryGetInt64(out var unix) => DateTimeOffset.FromUnixTimeSeconds(unix).UtcDateTime,
            JsonValueKind.String => ParseTime(v.GetString()),
            _ => null,
        };
    }

    public static DateTime? ParseTime(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }
        if (long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var unix))
        {
            return DateTimeOffset.FromUnixTimeSeconds(unix).UtcDateTime;
        }
        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed)
            ? parsed.UtcDateTime
            : null;
    }
}
