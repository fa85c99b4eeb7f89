using System.Globalization;
using System.Security.Cryptography;

namespace Leadwire.MetaEmulator.Webhooks;

/// <summary>Meta's GET handshake: the callback must answer 200 with exactly the challenge.</summary>
internal sealed class CallbackVerifier(WebhookSender sender)
{
    /// <summary>Null when the callback verified; otherwise the reason, worded like Meta's error.</summary>
    public async Task<string?> VerifyAsync(string callbackUrl, string verifyToken, CancellationToken cancellationToken)
    {
        var challenge = RandomNumberGenerator.GetInt32(1_000_000_000, int.MaxValue).ToString(CultureInfo.InvariantCulture);
        var separator = callbackUrl.Contains('?', StringComparison.Ordinal) ? '&' : '?';
        var url = $"{callbackUrl}{separator}hub.mode=subscribe&hub.challenge={challenge}&hub.verify_token={Uri.EscapeDataString(verifyToken)}";
        var result = await sender.GetAsync(url, cancellationToken);
        if (result.Error is { } error)
        {
            return $"Couldn't connect to server: {error}";
        }

        if (result.StatusCode != 200)
        {
            return $"HTTP Status Code = {result.StatusCode}; HTTP Message = {(System.Net.HttpStatusCode)result.StatusCode!.Value}";
        }

        if (!string.Equals(result.Body, challenge, StringComparison.Ordinal))
        {
            var received = result.Body is { Length: > 200 } body ? body[..200] : result.Body;
            return $"HTTP Status Code = 200; HTTP Message = Response does not match challenge, expected value=\"{challenge}\", received=\"{received}\"";
        }

        return null;
    }
}
