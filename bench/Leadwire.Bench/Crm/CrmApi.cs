using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Leadwire.Bench.Crm;

/// <summary>An answer of the server, with the time from sending the request to having read the whole body.</summary>
public sealed record TimedResponse(int Status, byte[] Body, double Milliseconds)
{
    public bool IsSuccess => Status is >= 200 and < 300;

    public JsonDocument? TryJson()
    {
        try
        {
            return Body.Length == 0 ? null : JsonDocument.Parse(Body);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The start of the body, for a message when something is not as expected.</summary>
    public string Snippet => Encoding.UTF8.GetString(Body, 0, Math.Min(Body.Length, 300)).ReplaceLineEndings(" ");
}

/// <summary>
/// The bench's client of the Leadwire API: one kept-alive connection (requests are sent one at a time, as a person
/// clicking through the list would), the bootstrap token (the workspace's owner), each request timed until its body
/// is read.
/// </summary>
public sealed class CrmApi : IDisposable
{
    private readonly HttpClient _http;

    public CrmApi(Uri baseUrl, string token)
    {
        _http = new HttpClient(new SocketsHttpHandler { UseProxy = false, MaxConnectionsPerServer = 4, PooledConnectionIdleTimeout = TimeSpan.FromMinutes(10) })
        {
            BaseAddress = baseUrl,
            Timeout = TimeSpan.FromMinutes(10),
        };
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
    }

    public HttpClient Http => _http;

    public async Task<TimedResponse> GetAsync(string pathAndQuery, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        using var response = await _http.GetAsync(new Uri(pathAndQuery, UriKind.Relative), HttpCompletionOption.ResponseContentRead, cancellationToken);
        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        return new TimedResponse((int)response.StatusCode, body, clock.Elapsed.TotalMilliseconds);
    }

    public async Task<TimedResponse> PostJsonAsync(string path, object body, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        using var content = new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");
        using var response = await _http.PostAsync(new Uri(path, UriKind.Relative), content, cancellationToken);
        var answer = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        return new TimedResponse((int)response.StatusCode, answer, clock.Elapsed.TotalMilliseconds);
    }

    public void Dispose() => _http.Dispose();
}
