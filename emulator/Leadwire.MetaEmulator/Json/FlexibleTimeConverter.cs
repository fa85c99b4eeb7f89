using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Leadwire.MetaEmulator.Json;

/// <summary>Reads a time given either as ISO-8601 text or as unix seconds (number or numeric string); writes ISO-8601.</summary>
internal sealed class FlexibleTimeConverter : JsonConverter<DateTimeOffset?>
{
    public override bool HandleNull => true;

    public override DateTimeOffset? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                return null;
            case JsonTokenType.Number:
                return DateTimeOffset.FromUnixTimeSeconds(reader.GetInt64());
            case JsonTokenType.String:
                var text = reader.GetString();
                if (string.IsNullOrWhiteSpace(text))
                {
                    return null;
                }

                if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var unix))
                {
                    return DateTimeOffset.FromUnixTimeSeconds(unix);
                }

                if (MetaTime.TryParseIso(text, out var parsed))
                {
                    return parsed;
                }

                throw new JsonException($"'{text}' is neither an ISO-8601 time nor unix seconds.");
            default:
                throw new JsonException("Expected an ISO-8601 string or unix seconds.");
        }
    }

    public override void Write(Utf8JsonWriter writer, DateTimeOffset? value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (value is { } time)
        {
            writer.WriteStringValue(time);
        }
        else
        {
            writer.WriteNullValue();
        }
    }
}
