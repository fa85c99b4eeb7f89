using System.Net;
using System.Net.Http.Headers;

namespace Leadwire.Bench.Load;

/// <summary>POSTs signed webhooks to <c>/webhooks/meta</c> over a pool of kept-alive HTTP/1.1 connections.</summary>
public sealed class WebhookSender : IDisposable
{
    private static readonly MediaTypeHeaderValue Json = new("application/json");

    private readonly HttpClient _http;
    private readonly Uri _target;

    public WebhookSender(Uri baseUrl, int connections)
    {
        _http = new HttpClient(new SocketsHttpHandler
        {
            MaxConnectionsPerServer = connections,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
            UseProxy = false,
            UseCookies = false,
            AutomaticDecompression = DecompressionMethods.None,
        })
        {
            Timeout = TimeSpan.FromSeconds(60),
        };
        _target = new Uri(baseUrl, "/webhooks/meta");
    }

    /// <summary>The HTTP status, or 0 when the request failed without one (connection error, timeout).</summary>
    public async Task<int> SendAsync(LeadgenWebhook webhook, CancellationToken cancellationToken = default)
    {
        using var content = new ByteArrayContent(webhook.Body);
        content.Headers.ContentType = Json;
        using var request = new HttpRequestMessage(HttpMethod.Post, _target) { Content = content, Version = HttpVersion.Version11 };
        request.Headers.TryAddWithoutValidation("X-Hub-Signature-256", webhook.Signature);
        try
        {
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
            return (int)response.StatusCode;
        }
        catch (HttpRequestException)
        {
            return 0;
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return 0;
        }
    }

    public void Dispose() => _http.Dispose();
}
