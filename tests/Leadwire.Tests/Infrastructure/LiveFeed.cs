using System.Net;
using System.Text.Json;
using System.Threading.Channels;

namespace Leadwire.Tests.Infrastructure;

/// <summary>
/// A client of <c>GET /api/v1/events</c> over real HTTP: reads the server-sent-event stream line by line in the
/// background and hands out the events (name, id, parsed data) in order.
/// </summary>
public sealed class LiveFeed : IAsyncDisposable
{
    public sealed record Item(string Event, long Id, JsonElement Data);

    private readonly HttpResponseMessage _response;
    private readonly CancellationTokenSource _stop = new();
    private readonly Channel<Item> _items = Channel.CreateUnbounded<Item>();
    private readonly Task _reading;

    private LiveFeed(HttpResponseMessage response)
    {
        _response = response;
        _reading = ReadAsync();
    }

    public HttpStatusCode StatusCode => _response.StatusCode;

    public string? MediaType => _response.Content.Headers.ContentType?.MediaType;

    /// <summary>Opens the stream; returns once the headers and the server's opening comment have arrived.</summary>
    public static async Task<LiveFeed> OpenAsync(HttpClient client, string query = "")
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/events" + query);
        var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        return new LiveFeed(response);
    }

    /// <summary>The next event that matches, skipping others; fails after <paramref name="timeout"/>.</summary>
    public async Task<Item> NextAsync(Func<Item, bool> match, TimeSpan timeout, string what)
    {
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            while (true)
            {
                var item = await _items.Reader.ReadAsync(cancel.Token);
                if (match(item))
                {
                    return item;
                }
            }
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"No {what} on the live feed within {timeout.TotalSeconds:0.#} s.");
        }
    }

    /// <summary>Every event that arrives within <paramref name="window"/>.</summary>
    public async Task<List<Item>> DrainAsync(TimeSpan window)
    {
        var items = new List<Item>();
        using var cancel = new CancellationTokenSource(window);
        try
        {
            while (true)
            {
                items.Add(await _items.Reader.ReadAsync(cancel.Token));
            }
        }
        catch (OperationCanceledException)
        {
            return items;
        }
    }

    private async Task ReadAsync()
    {
        if (!_response.IsSuccessStatusCode)
        {
            _items.Writer.TryComplete();
            return;
        }
        try
        {
            await using var stream = await _response.Content.ReadAsStreamAsync(_stop.Token);
            using var reader = new StreamReader(stream);
            string? name = null;
            long id = 0;
            string? data = null;
            while (await reader.ReadLineAsync(_stop.Token) is { } line)
            {
                if (line.Length == 0)
                {
                    if (name is not null && data is not null)
                    {
                        _items.Writer.TryWrite(new Item(name, id, JsonDocument.Parse(data).RootElement.Clone()));
                    }
                    (name, data) = (null, null);
                }
                else if (line.StartsWith("event: ", StringComparison.Ordinal))
                {
                    name = line[7..];
                }
                else if (line.StartsWith("id: ", StringComparison.Ordinal))
                {
                    id = long.Parse(line[4..], System.Globalization.CultureInfo.InvariantCulture);
                }
                else if (line.StartsWith("data: ", StringComparison.Ordinal))
                {
                    data = line[6..];
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or HttpRequestException)
        {
            // Closed by the test or the server.
        }
        finally
        {
            _items.Writer.TryComplete();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _response.Dispose();
        await _reading;
        _stop.Dispose();
    }
}
