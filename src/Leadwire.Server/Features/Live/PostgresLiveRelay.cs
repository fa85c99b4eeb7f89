using System.Text.Json;
using Leadwire.Data;
using Leadwire.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Leadwire.Features.Live;

/// <summary>
/// Carries live events between instances on one PostgreSQL with LISTEN/NOTIFY: each instance sends what it
/// published, a batch per notification (a burst of a thousand leads a second is a few dozen notifications, not a
/// thousand), and delivers what the others sent to its own subscribers. Its own notifications come back to it too
/// and are skipped by their origin. A feed, not a log: what is published while the connection is down is not sent.
/// </summary>
public sealed partial class PostgresLiveRelay(
    IServiceScopeFactory scopes, DatabaseDialect dialect, LiveEvents live, ILogger<PostgresLiveRelay> logger) : BackgroundService
{
    public const string Channel = "leadwire_live";

    /// <summary>PostgreSQL refuses notification payloads of 8000 bytes or more.</summary>
    private const int MaxPayloadBytes = 7000;

    /// <summary>How long the sender gathers events into one notification.</summary>
    private static readonly TimeSpan Gather = TimeSpan.FromMilliseconds(20);

    private readonly string _origin = Guid.NewGuid().ToString("N");

    private sealed record Batch(string Origin, List<LiveEvent> Events);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (dialect.Provider != DatabaseProvider.Postgres)
        {
            return;
        }
        live.RelayEnabled = true;
        string connectionString;
        await using (var scope = scopes.CreateAsyncScope())
        {
            connectionString = scope.ServiceProvider.GetRequiredService<LeadwireDbContext>().Database.GetConnectionString()!;
        }
        await Task.WhenAll(ListenAsync(connectionString, stoppingToken), SendAsync(connectionString, stoppingToken));
    }

    private Task ListenAsync(string connectionString, CancellationToken stoppingToken) =>
        PostgresChannels.ListenAsync(connectionString, Channel, Receive, e => LogRelayFailed(logger, e), stoppingToken);

    private void Receive(string payload)
    {
        Batch? batch;
        try
        {
            batch = JsonSerializer.Deserialize<Batch>(payload, Json);
        }
        catch (JsonException e)
        {
            LogBadPayload(logger, e);
            return;
        }
        if (batch is null || batch.Origin == _origin)
        {
            return;
        }
        foreach (var received in batch.Events)
        {
            live.DeliverFromPeer(received);
        }
    }

    private Task SendAsync(string connectionString, CancellationToken stoppingToken) =>
        PostgresChannels.WithConnectionAsync(connectionString, async connection =>
        {
            var outgoing = live.Outgoing;
            while (await outgoing.WaitToReadAsync(stoppingToken))
            {
                await Task.Delay(Gather, stoppingToken);
                foreach (var payload in Payloads(outgoing))
                {
                    await using var notify = new NpgsqlCommand("SELECT pg_notify(@channel, @payload)", connection);
                    notify.Parameters.AddWithValue("channel", Channel);
                    notify.Parameters.AddWithValue("payload", payload);
                    await notify.ExecuteNonQueryAsync(stoppingToken);
                }
            }
        }, e => LogRelayFailed(logger, e), stoppingToken);

    /// <summary>What is waiting, as payloads under PostgreSQL's size limit (each event serialised once).</summary>
    private IEnumerable<string> Payloads(System.Threading.Channels.ChannelReader<LiveEvent> outgoing)
    {
        var head = "{\"origin\":\"" + _origin + "\",\"events\":[";
        var events = new List<string>();
        var length = head.Length + 2;
        while (outgoing.TryRead(out var next))
        {
            var json = JsonSerializer.Serialize(next, Json);
            if (events.Count > 0 && length + json.Length + 1 > MaxPayloadBytes)
            {
                yield return head + string.Join(',', events) + "]}";
                events.Clear();
                length = head.Length + 2;
            }
            events.Add(json);
            length += json.Length + 1;
        }
        if (events.Count > 0)
        {
            yield return head + string.Join(',', events) + "]}";
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Live events between instances interrupted; retrying")]
    private static partial void LogRelayFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A live-event notification could not be read; skipped")]
    private static partial void LogBadPayload(ILogger logger, Exception exception);
}
