using System.Text.Json;
using System.Text.Json.Serialization;
using Leadwire.Features.Leads;

namespace Leadwire.Features.Export;

/// <summary>How a <see cref="LeadFilter"/> is stored (bulk operations) and shown (audit entries): snake_case, statuses by name.</summary>
public static class LeadFilterJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    /// <summary>The filter as a JSON value, for embedding in another document.</summary>
    public static JsonElement ToElement(LeadFilter filter) => JsonSerializer.SerializeToElement(filter, Options);
}
