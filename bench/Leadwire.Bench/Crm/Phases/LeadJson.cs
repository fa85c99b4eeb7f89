using System.Globalization;
using System.Text.Json;

namespace Leadwire.Bench.Crm.Phases;

/// <summary>Reading the lead list's answers ({"items": [...], "next_cursor": ...}) leniently: the bench checks what is there.</summary>
public static class LeadJson
{
    public static IReadOnlyList<JsonElement> Items(JsonDocument? document) =>
        document is not null && document.RootElement.ValueKind == JsonValueKind.Object
            && document.RootElement.TryGetProperty("items", out var items) && items.ValueKind == JsonValueKind.Array
            ? [.. items.EnumerateArray()]
            : [];

    public static string? NextCursor(JsonDocument? document) =>
        document is not null && document.RootElement.ValueKind == JsonValueKind.Object
            && document.RootElement.TryGetProperty("next_cursor", out var next) && next.ValueKind == JsonValueKind.String
            ? next.GetString()
            : null;

    public static string? Text(JsonElement item, string name) =>
        item.TryGetProperty(name, out var value) ? value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Number => value.GetRawText(),
            _ => null,
        } : null;

    public static long? Number(JsonElement item, string name)
    {
        if (!item.TryGetProperty(name, out var value))
        {
            return null;
        }
        return value.ValueKind switch
        {
            JsonValueKind.Number when value.TryGetInt64(out var n) => n,
            JsonValueKind.String when long.TryParse(value.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out var n) => n,
            _ => null,
        };
    }

    /// <summary>The assignee's user id, whether the lead carries it flat (assignee_user_id) or as an object (assignee.id).</summary>
    public static long? AssigneeId(JsonElement item)
    {
        if (Number(item, "assignee_user_id") is { } flat)
        {
            return flat;
        }
        return item.TryGetProperty("assignee", out var assignee) && assignee.ValueKind == JsonValueKind.Object
            ? Number(assignee, "id") ?? Number(assignee, "user_id")
            : null;
    }
}
