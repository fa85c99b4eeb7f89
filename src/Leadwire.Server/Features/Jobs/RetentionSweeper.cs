using Leadwire.Data;
using Leadwire.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Leadwire.Features.Jobs;

/// <summary>
/// Keeps the history tables from growing forever: finished jobs and processed webhook deliveries older than their
/// retention are deleted in small chunks. Dead and parked jobs, and dead deliveries, are kept until someone acts on
/// them. Deleting a finished fetch job is safe: a late duplicate of its webhook finds the lead already stored.
/// </summary>
public sealed partial class RetentionSweeper(
    IServiceScopeFactory scopes, WriteGate gate, TimeProvider time, IOptionsMonitor<JobOptions> options, ILogger<RetentionSweeper> logger) : BackgroundService
{
    private const int ChunkSize = 1000;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.CurrentValue.RunnerEnabled)
        {
            return;
        }
        using var timer = new PeriodicTimer(options.CurrentValue.RetentionSweepInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await SweepAsync(stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    LogSweepFailed(logger, e);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Shutting down.
        }
    }

    public async Task SweepAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var jobsBefore = now - options.CurrentValue.SucceededRetention;
        var deliveriesBefore = now - options.CurrentValue.DeliveryRetention;
        int jobs = 0, deliveries = 0, deleted;
        do
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<LeadwireDbContext>();
            using var permit = await gate.EnterAsync(cancellationToken);
            var jobIds = await db.Jobs.Where(j => j.Status == JobStatus.Succeeded && j.CompletedAt < jobsBefore)
                .OrderBy(j => j.Id).Select(j => j.Id).Take(ChunkSize).ToListAsync(cancellationToken);
            deleted = await db.Jobs.Where(j => jobIds.Contains(j.Id)).ExecuteDeleteAsync(cancellationToken);
            var deliveryIds = await db.WebhookDeliveries.Where(d => d.Status == WebhookDeliveryStatus.Processed && d.ReceivedAt < deliveriesBefore)
                .OrderBy(d => d.Id).Select(d => d.Id).Take(ChunkSize).ToListAsync(cancellationToken);
            var deletedDeliveries = await db.WebhookDeliveries.Where(d => deliveryIds.Contains(d.Id)).ExecuteDeleteAsync(cancellationToken);
            jobs += deleted;
            deliveries += deletedDeliveries;
            deleted += deletedDeliveries;
        }
        while (deleted > 0 && !cancellationToken.IsCancellationRequested);

        if (jobs + deliveries > 0)
        {
            LogSwept(logger, jobs, deliveries);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Retention: deleted {Jobs} finished jobs and {Deliveries} processed webhook deliveries")]
    private static partial void LogSwept(ILogger logger, int jobs, int deliveries);

    [LoggerMessage(Level = LogLevel.Error, Message = "Retention sweep failed; will try at the next interval")]
    private static partial void LogSweepFailed(ILogger logger, Exception exception);
}
