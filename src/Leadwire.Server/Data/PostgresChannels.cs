using Npgsql;

namespace Leadwire.Data;

/// <summary>
/// The connection loops of LISTEN/NOTIFY between instances on one PostgreSQL: a connection of their own, opened
/// again a second after any failure, until shutdown.
/// </summary>
internal static class PostgresChannels
{
    /// <summary>Hands every notification on <paramref name="channel"/> to <paramref name="onPayload"/>.</summary>
    public static Task ListenAsync(
        string connectionString, string channel, Action<string> onPayload, Action<Exception> onFailure, CancellationToken stoppingToken) =>
        WithConnectionAsync(connectionString, async connection =>
        {
            connection.Notification += (_, e) => onPayload(e.Payload);
            await using (var listen = new NpgsqlCommand($"LISTEN {channel}", connection))
            {
                await listen.ExecuteNonQueryAsync(stoppingToken);
            }
            while (!stoppingToken.IsCancellationRequested)
            {
                await connection.WaitAsync(stoppingToken);
            }
        }, onFailure, stoppingToken);

    /// <summary>Runs <paramref name="work"/> on an open connection, with a new one after each failure.</summary>
    public static async Task WithConnectionAsync(
        string connectionString, Func<NpgsqlConnection, Task> work, Action<Exception> onFailure, CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = new NpgsqlConnection(connectionString);
                await connection.OpenAsync(stoppingToken);
                await work(connection);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is NpgsqlException or InvalidOperationException)
            {
                onFailure(e);
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }
}
