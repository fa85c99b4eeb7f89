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

    private Task ListenAsync(string connectionString, CancellationToken stoppingToken) =>
        PostgresChannels.ListenAsync(connectionString, Channel, _ => signal.WakeLocal(), e => LogListenFailed(logger, e), stoppingToken);

    private Task NotifyAsync(string connectionString, CancellationToken stoppingToken) =>
        PostgresChannels.WithConnectionAsync(connectionString, async connection =>
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await signal.BroadcastRequested.WaitAsync(stoppingToken);
                signal.BroadcastSent();
                await using var notify = new NpgsqlCommand($"NOTIFY {Channel}", connection);
                await notify.ExecuteNonQueryAsync(stoppingToken);
            }
        }, e => LogListenFailed(logger, e), stoppingToken);

    [LoggerMessage(Level = LogLevel.Warning, Message = "PostgreSQL job notifications interrupted; falling back to polling until reconnected")]
    private static partial void LogListenFailed(ILogger logger, Exception exception);
}
