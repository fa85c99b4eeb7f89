using System.Security.Cryptography;
using System.Text;

namespace Leadwire.Meta;

/// <summary><c>appsecret_proof</c>: lowercase hex HMAC-SHA256 of the access token, keyed by the app secret.</summary>
public static class AppSecretProof
{
    public static string Compute(string appSecret, string accessToken) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(appSecret), Encoding.UTF8.GetBytes(accessToken)));
}
