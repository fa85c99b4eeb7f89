using System.Security.Cryptography;
using System.Text;

namespace Leadwire.MetaEmulator;

/// <summary>Graph's appsecret_proof: lowercase hex HMAC-SHA256 of the access token keyed with the app secret.</summary>
public static class MetaAppSecretProof
{
    public static string Compute(string accessToken, string appSecret)
    {
        ArgumentNullException.ThrowIfNull(accessToken);
        ArgumentNullException.ThrowIfNull(appSecret);
        Span<byte> hash = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(Encoding.UTF8.GetBytes(appSecret), Encoding.UTF8.GetBytes(accessToken), hash);
        return Convert.ToHexStringLower(hash);
    }

    /// <summary>Allocation-free, constant-time check used on every Graph call.</summary>
    internal static bool Matches(string accessToken, string proof, byte[] secretKey)
    {
        if (proof.Length != HMACSHA256.HashSizeInBytes * 2)
        {
            return false;
        }

        Span<byte> given = stackalloc byte[HMACSHA256.HashSizeInBytes];
        if (Convert.FromHexString(proof, given, out _, out var written) != System.Buffers.OperationStatus.Done
            || written != given.Length)
        {
            return false;
        }

        var tokenLength = Encoding.UTF8.GetMaxByteCount(accessToken.Length);
        var tokenBytes = tokenLength <= 512 ? stackalloc byte[tokenLength] : new byte[tokenLength];
        var used = Encoding.UTF8.GetBytes(accessToken, tokenBytes);
        Span<byte> expected = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(secretKey, tokenBytes[..used], expected);
        return CryptographicOperations.FixedTimeEquals(expected, given);
    }
}
