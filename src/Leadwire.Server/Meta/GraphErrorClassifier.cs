using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;

namespace Leadwire.Meta;

/// <summary>Turns a failed Graph response into the typed failure the job engine acts on.</summary>
public static class GraphErrorClassifier
{
    public static bool IsRateLimitCode(int code) =>
        code is 4 or 17 or 32 or 613 || code is >= 80000 and <= 80014;

    public static GraphException Classify(GraphError? error, int status, HttpResponseHeaders? headers)
    {
        if (error is null)
        {
            return status >= 500 || status == 429
                ? new GraphTransientException(null, status)
                : new GraphPermanentException(null, status);
        }

        if (IsRateLimitCode(error.Code))
        {
            return new GraphRateLimitedException(error, status, headers is null ? null : GraphUsage.RetryAfter(headers));
        }

        return error.Code switch
        {
            190 or 102 => new GraphAuthException(error, status),
            3 or 10 or (>= 200 and <= 299) => new GraphPermissionException(error, status),
            1 or 2 or 341 => new GraphTransientException(error, status),
            _ when error.IsTransient == true || status >= 500 => new GraphTransientException(error, status),
            _ => new GraphPermanentException(error, status),
        };
    }

    /// <summary>Reads Meta's error object; null when the body is not one.</summary>
    public static GraphError? Parse(ReadOnlySpan<byte> body)
    {
        try
        {
            var reader = new Utf8JsonReader(body);
            using var document = JsonDocument.ParseValue(ref reader);
            if (document.RootElement.ValueKind != JsonValueKind.Object || !document.RootElement.TryGetProperty("error", out var e) || e.ValueKind != JsonValueKind.Object)
            {
                return null;
            }
            return new GraphError(
                Message: String(e, "message") ?? "",
                Type: String(e, "type"),
                Code: Int(e, "code") ?? 0,
                Subcode: Int(e, "error_subcode"),
                IsTransient: e.TryGetProperty("is_transient", out var t) && t.ValueKind is JsonValueKind.True or JsonValueKind.False ? t.GetBoolean() : null,
                UserTitle: String(e, "error_user_title"),
                UserMessage: String(e, "error_user_msg"),
                TraceId: String(e, "fbtrace_id"));
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? String(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static int? Int(JsonElement e, string name)
    {
        if (!e.TryGetProperty(name, out var v))
        {
            return null;
        }
        return v.ValueKind switch
        {
            JsonValueKind.Number when v.TryGetInt32(out var i) => i,
            JsonValueKind.String when int.TryParse(v.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var i) => i,
            _ => null,
        };
    }
}
