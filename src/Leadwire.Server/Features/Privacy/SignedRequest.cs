using System.Buffers.Text;
using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Leadwire.Features.Privacy;

/// <summary>
/// Meta's <c>signed_request</c> form field, as sent to the data-deletion callback:
/// <c>base64url(signature) + "." + base64url(payload)</c>, where the signature is HMAC-SHA256 of the encoded payload
/// string keyed by the app secret. The signature is checked, in constant time, before the payload is decoded.
/// </summary>
public static class SignedRequest
{
    /// <summary>The only algorithm Meta uses, and the only one accepted.</summary>
    public const string HmacSha256 = "HMAC-SHA256";

    /// <summary>Real requests are a few hundred characters; refusing large ones keeps garbage from costing work.</summary>
    private const int MaxLength = 8192;

    private const int SignatureLength = 32;

    /// <summary>
    /// Verifies and reads <paramref name="signedRequest"/>. On failure <paramref name="error"/> says why, in words
    /// safe to log: it never echoes the secret or the expected signature.
    /// </summary>
    public static bool TryParse(
        string? signedRequest,
        byte[] appSecret,
        [NotNullWhen(true)] out SignedRequestPayload? payload,
        [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(appSecret);
        payload = null;

        if (string.IsNullOrEmpty(signedRequest))
        {
            error = "signed_request is empty.";
            return false;
        }
        if (signedRequest.Length > MaxLength)
        {
            error = $"signed_request is longer than {MaxLength} characters.";
            return false;
        }

        var dot = signedRequest.IndexOf('.', StringComparison.Ordinal);
        if (dot <= 0 || dot == signedRequest.Length - 1 || signedRequest.IndexOf('.', dot + 1) >= 0)
        {
            error = "signed_request is not <signature>.<payload>.";
            return false;
        }
        var encodedSignature = signedRequest.AsSpan(0, dot);
        var encodedPayload = signedRequest.AsSpan(dot + 1);

        Span<byte> claimed = stackalloc byte[SignatureLength];
        if (!TryDecode(encodedSignature, claimed, out var claimedLength))
        {
            error = "The signature is not base64url.";
            return false;
        }

        // The MAC covers the payload as sent (its base64url text), so it is checked before anything decodes it.
        Span<byte> expected = stackalloc byte[SignatureLength];
        HMACSHA256.HashData(appSecret, Encoding.UTF8.GetBytes(encodedPayload.ToString()), expected);
        if (claimedLength != SignatureLength || !CryptographicOperations.FixedTimeEquals(expected, claimed))
        {
            error = "The signature does not match; the request was not signed with this app's secret.";
            return false;
        }

        if (!Base64Url.IsValid(encodedPayload, out var payloadLength))
        {
            error = "The payload is not base64url.";
            return false;
        }
        var json = new byte[payloadLength];
        if (!TryDecode(encodedPayload, json, out var jsonLength))
        {
            error = "The payload is not base64url.";
            return false;
        }

        return TryRead(json.AsMemory(0, jsonLength), out payload, out error);
    }

    /// <summary>
    /// Builds a signed request the way Meta does, for tests and for the demo, which has no Meta to send one. The
    /// algorithm is written as given so tests can sign a payload that claims another one.
    /// </summary>
    public static string Create(SignedRequestPayload p, byte[] appSecret)
    {
        ArgumentNullException.ThrowIfNull(p);
        ArgumentNullException.ThrowIfNull(appSecret);

        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("algorithm", p.Algorithm);
            if (p.IssuedAt is { } issuedAt)
            {
                writer.WriteNumber("issued_at", issuedAt.ToUnixTimeSeconds());
            }
            writer.WriteString("user_id", p.UserId);
            writer.WriteEndObject();
        }

        var encodedPayload = Base64Url.EncodeToString(buffer.ToArray());
        var signature = HMACSHA256.HashData(appSecret, Encoding.UTF8.GetBytes(encodedPayload));
        return Base64Url.EncodeToString(signature) + "." + encodedPayload;
    }

    /// <summary>Decodes into <paramref name="destination"/>; false when the text is not base64url or does not fit.</summary>
    private static bool TryDecode(ReadOnlySpan<char> source, Span<byte> destination, out int written)
    {
        written = 0;
        // Base64Url accepts the optional padding Meta omits; IsValid first keeps a too-long value from decoding.
        return Base64Url.IsValid(source, out var length)
            && length <= destination.Length
            && Base64Url.TryDecodeFromChars(source, destination, out written);
    }

    private static bool TryRead(ReadOnlyMemory<byte> json, [NotNullWhen(true)] out SignedRequestPayload? payload, [NotNullWhen(false)] out string? error)
    {
        payload = null;
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                error = "The payload is not a JSON object.";
                return false;
            }

            var algorithm = root.TryGetProperty("algorithm", out var a) && a.ValueKind == JsonValueKind.String ? a.GetString() : null;
            if (algorithm is null || !algorithm.Equals(HmacSha256, StringComparison.OrdinalIgnoreCase))
            {
                error = algorithm is null
                    ? $"The payload has no algorithm; expected {HmacSha256}."
                    : $"The payload's algorithm is \"{algorithm}\"; only {HmacSha256} is accepted.";
                return false;
            }

            // Meta sends user_id as a string; a number is accepted as its digits in case an older app sends one.
            var userId = root.TryGetProperty("user_id", out var u)
                ? u.ValueKind switch
                {
                    JsonValueKind.String => u.GetString(),
                    JsonValueKind.Number => u.GetRawText(),
                    _ => null,
                }
                : null;
            if (string.IsNullOrWhiteSpace(userId))
            {
                error = "The payload has no user_id.";
                return false;
            }

            DateTimeOffset? issuedAt = null;
            if (root.TryGetProperty("issued_at", out var i) && i.ValueKind != JsonValueKind.Null)
            {
                if (i.ValueKind != JsonValueKind.Number || !i.TryGetInt64(out var seconds)
                    || seconds < DateTimeOffset.MinValue.ToUnixTimeSeconds() || seconds > DateTimeOffset.MaxValue.ToUnixTimeSeconds())
                {
                    error = "The payload's issued_at is not a unix time in seconds.";
                    return false;
                }
                issuedAt = DateTimeOffset.FromUnixTimeSeconds(seconds);
            }

            payload = new SignedRequestPayload(userId, algorithm, issuedAt);
            error = null;
            return true;
        }
        catch (JsonException)
        {
            error = "The payload is not JSON.";
            return false;
        }
    }
}

/// <summary>What a verified <c>signed_request</c> says: whose data to delete (an app-scoped user id) and when Meta asked.</summary>
public sealed record SignedRequestPayload(string UserId, string Algorithm, DateTimeOffset? IssuedAt);
