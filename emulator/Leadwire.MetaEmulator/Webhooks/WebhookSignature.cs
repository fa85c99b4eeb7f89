using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text;

namespace Leadwire.MetaEmulator;

/// <summary>Meta's webhook signatures: HMAC of the exact body bytes keyed with the app secret.</summary>
public static class WebhookSignature
{
    /// <summary>Value of X-Hub-Signature-256: "sha256=" + lowercase hex HMAC-SHA256.</summary>
    public static string Sign256(byte[] body, string secret)
    {
        ArgumentNullException.ThrowIfNull(body);
        return Sign256(body.AsSpan(), secret);
    }

    public static string Sign256(ReadOnlySpan<byte> body, string secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        Span<byte> hash = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body, hash);
        return "sha256=" + Convert.ToHexStringLower(hash);
    }

    /// <summary>Value of the legacy X-Hub-Signature: "sha1=" + lowercase hex HMAC-SHA1.</summary>
    [SuppressMessage("Security", "CA5350:Do Not Use Weak Cryptographic Algorithms", Justification = "Meta's legacy X-Hub-Signature header is defined as HMAC-SHA1.")]
    public static string Sign1(ReadOnlySpan<byte> body, string secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        Span<byte> hash = stackalloc byte[HMACSHA1.HashSizeInBytes];
        HMACSHA1.HashData(Encoding.UTF8.GetBytes(secret), body, hash);
        return "sha1=" + Convert.ToHexStringLower(hash);
    }

    /// <summary>Constant-time check of an X-Hub-Signature-256 header value against the body.</summary>
    public static bool Verify256(ReadOnlySpan<byte> body, string? header, string secret)
    {
        if (header is null)
        {
            return false;
        }

        var expected = Encoding.ASCII.GetBytes(Sign256(body, secret));
        var actual = Encoding.ASCII.GetBytes(header.Trim());
        return CryptographicOperations.FixedTimeEquals(expected, actual);
    }
}
