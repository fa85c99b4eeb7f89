using System.Net.Http.Headers;
using System.Text;

namespace Leadwire.MetaEmulator.Webhooks;

internal enum SignatureMode
{
    Valid,
    Invalid,
    None,
}

internal readonly record struct SendResult(int? StatusCode, string? Body, string? Error, TimeSpan Duration)
{
    public bool Succeeded => StatusCode is >= 200 and < 300;
}

/// <summary>The emulator's outbound HTTP: signed webhook POSTs and the subscription handshake GET.</summary>
internal sealed class WebhookSender : IDisposable
{
    private const int MaxBodyChars = 4_096;
    private static readonly MediaTypeHeaderValue Json = new("application/json");
    private readonly HttpClient _http;
    private readonly TimeProvider _time;
    private readonly bool _legacySignature;

    public WebhookSender(MetaEmulatorSettings settings, TimeProvider time)
    {
        _time = time;
        _legacySignature = settings.SendLegacySha1Signature;
        _http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(2) })
        {
            Timeout = TimeSpan.FromMilliseconds(settings.DeliveryTimeoutMs),
        };
        _http.DefaultRequestHeaders.UserAgent.ParseAdd("facebookexternalua");
    }

    public async Task<SendResult> PostAsync(string url, byte[] body, string secret, SignatureMode mode, bool readBody, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = Json;
        if (mode != SignatureMode.None)
        {
            // An "invalid" signature is a real HMAC made with the wrong key, so only the comparison can catch it.
            var key = mode == SignatureMode.Valid ? secret : "not-" + secret;
            request.Headers.TryAddWithoutValidation("X-Hub-Signature-256", WebhookSignature.Sign256(body, key));
            if (_legacySignature)
            {
                request.Headers.TryAddWithoutValidation("X-Hub-Signature", WebhookSignature.Sign1(body, key));
            }
        }

        return await SendAsync(request, readBody, cancellationToken);
    }

    public async Task<SendResult> GetAsync(string url, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        return await SendAsync(request, readBody: true, cancellationToken);
    }

    public void Dispose() => _http.Dispose();

    private async Task<SendResult> SendAsync(HttpRequestMessage request, bool readBody, CancellationToken cancellationToken)
    {
        var started = _time.GetTimestamp();
        try
        {
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
            string? body = null;
            if (readBody)
            {
                body = await response.Content.ReadAsStringAsync(cancellationToken);
                if (body.Length > MaxBodyChars)
                {
                    body = body[..MaxBodyChars];
                }
            }

            return new SendResult((int)response.StatusCode, body, null, _time.GetElapsedTime(started));
        }
        catch (HttpRequestException exception)
        {
            return new SendResult(null, null, Describe(exception), _time.GetElapsedTime(started));
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new SendResult(null, null, $"timeout after {_http.Timeout.TotalMilliseconds:0} ms", _time.GetElapsedTime(started));
        }
    }

    private static string Describe(HttpRequestException exception)
    {
        var text = new StringBuilder(exception.Message);
        if (exception.InnerException is { } inner && !string.Equals(inner.Message, exception.Message, StringComparison.Ordinal))
        {
            text.Append(" (").Append(inner.Message).Append(')');
        }

        return text.ToString();
    }
}
