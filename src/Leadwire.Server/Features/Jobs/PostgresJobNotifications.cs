using Leadwire.Data;
using Leadwire.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Leadwire.Features.Jobs;

/// <summary>
/// LISTEN/NOTIFY between instances on one PostgreSQL: an instance that enqueues work tells the others, so the
/// whole cluster picks it up at once rather than at the next poll. Polling remains the safety net.
/// </summary>
public sealed partial class PostgresJobNotifications(
    IServiceScopeFactory scopes, DatabaseDialect dialect, JobSignal signal, ILogger<PostgresJobNotifications> logger) : BackgroundService
{
    public const string Channel = "leadwire_jobs";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (dialect.Provider != DatabaseProvider.Postgres)
        {
            return;
        }

        string connectionString;
        await using (var scope = scopes.CreateAsyncScope())
        {
            connectionString = scope.ServiceProvider.GetRequiredService<LeadwireDbContext>().Database.GetConnectionString()!;
        }

        await Task.WhenAll(ListenAsync(connectionString, stoppingToken), NotifyAsync(connectionString, stoppingToken));
    }

    private async Task ListenAsync(string connectionString, CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = new NpgsqlConnection(connectionString);
                await connection.OpenAsync(stoppingToken);
                connection.Notification += (_, _) => signal.WakeLocal();
                await using (var listen = new NpgsqlCommand($"LISTEN {Channel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                }
                while (!stoppingToken.IsCancellationRequested)
                {
                    await connection.WaitAsync(stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is NpgsqlException or InvalidOperationException)
            {
                LogListenFailed(logger, e);
                await Delay(stoppingToken);
            }
        }
    }

    private async Task NotifyAsync(string connectionString, CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await signal.BroadcastRequested.WaitAsync(stoppingToken);
                signal.BroadcastSent();
                await using var connection = new NpgsqlConnection(connectionString);
                await connection.OpenAsync(stoppingToken);
                await using var notify = new NpgsqlCommand($"NOTIFY {Channel}", connection);
                await notify.ExecuteNonQueryAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is NpgsqlException or InvalidOperationException)
            {
                LogListenFailed(logger, e);
                await Delay(stoppingToken);
            }
        }
    }

    private static async Task Delay(CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // Shutting down.
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "PostgreSQL job notifications interrupted; falling back to polling until reconnected")]
    private static partial void LogListenFailed(ILogger logger, Exception exception);
}
