using System.Globalization;
using System.Text.Json;

namespace Leadwire.MetaEmulator.Graph;

/// <summary>`filtering=[{"field":"time_created","operator":"GREATER_THAN","value":1767225600}]` as a time range.</summary>
internal static class LeadFiltering
{
    public static GraphError? TryParse(string? filtering, out TimeRange range)
    {
        range = TimeRange.All;
        if (string.IsNullOrWhiteSpace(filtering))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(filtering);
            if (document.RootElement.ValueKind != JsonValueKind.Array)
            {
                return GraphErrors.InvalidParameter("Param filtering must be an array");
            }

            long min = long.MinValue, max = long.MaxValue;
            foreach (var filter in document.RootElement.EnumerateArray())
            {
                if (filter.ValueKind != JsonValueKind.Object
                    || !filter.TryGetProperty("field", out var field)
                    || !filter.TryGetProperty("operator", out var op)
                    || !filter.TryGetProperty("value", out var value))
                {
                    return GraphErrors.InvalidParameter("Each filtering entry needs field, operator and value");
                }

                if (field.ValueKind != JsonValueKind.String || field.GetString() != "time_created")
                {
                    return GraphErrors.InvalidParameter($"Filtering field {field} is not supported");
                }

                if (!TryReadSeconds(value, out var seconds))
                {
                    return GraphErrors.InvalidParameter("Filtering value for time_created must be unix seconds");
                }

                switch (op.ValueKind == JsonValueKind.String ? op.GetString() : null)
                {
                    case "GREATER_THAN":
                        min = Math.Max(min, seconds == long.MaxValue ? seconds : seconds + 1);
                        break;
                    case "GREATER_THAN_OR_EQUAL":
                        min = Math.Max(min, seconds);
                        break;
                    case "LESS_THAN":
                        max = Math.Min(max, seconds == long.MinValue ? seconds : seconds - 1);
                        break;
                    default:
                        return GraphErrors.InvalidParameter($"Filtering operator {op} is not supported for time_created (use GREATER_THAN, GREATER_THAN_OR_EQUAL or LESS_THAN)");
                }
            }

            range = new TimeRange(min, max);
            return null;
        }
        catch (JsonException)
        {
            return GraphErrors.InvalidParameter("Param filtering must be a JSON-encoded array");
        }
    }

    private static bool TryReadSeconds(JsonElement value, out long seconds)
    {
        seconds = 0;
        return value.ValueKind switch
        {
            JsonValueKind.Number => value.TryGetInt64(out seconds),
            JsonValueKind.String => long.TryParse(value.GetString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out seconds),
            _ => false,
        };
    }
}
