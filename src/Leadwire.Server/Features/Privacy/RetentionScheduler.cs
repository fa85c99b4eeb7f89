using Leadwire.Data;
using Leadwire.Features.Jobs;
using Leadwire.Infrastructure;
using Microsoft.Extensions.Options;

namespace Leadwire.Features.Privacy;

/// <summary>
/// Once per <see cref="PrivacyOptions.RetentionInterval"/> (a day), enqueues the retention job. The dedupe key names
/// the interval slot, so several instances starting or ticking together still run it once per slot.
/// </summary>
public sealed partial class RetentionScheduler(
    IServiceScopeFactory scopes, JobEnqueuer queue, WriteGate gate, JobSignal signal, TimeProvider time,
    IOptionsMonitor<PrivacyOptions> options, IOptionsMonitor<JobOptions> jobOptions, ILogger<RetentionScheduler> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!jobOptions.CurrentValue.RunnerEnabled)
        {
            return;
        }
        using var timer = new PeriodicTimer(options.CurrentValue.RetentionInterval, time);
        do
        {
            try
            {
                if (await ScheduleAsync(stoppingToken))
                {
                    signal.Wake();
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogScheduleFailed(logger, e);
            }
        }
        while (await WaitAsync(timer, stoppingToken));
    }

    public async Task<bool> ScheduleAsync(CancellationToken cancellationToken)
    {
        var slot = time.GetUtcNow().UtcTicks / options.CurrentValue.RetentionInterval.Ticks;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<LeadwireDbContext>();
        var added = false;
        await db.InWriteTransactionAsync(gate, async () =>
        {
            added = await queue.EnqueueUniqueAsync(null, db, ApplyRetention.Kind, new ApplyRetention.Payload(slot), $"{ApplyRetention.Kind}:{slot}", null, cancellationToken);
        }, cancellationToken);
        return added;
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken cancellationToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Scheduling the lead retention job failed; will try at the next interval")]
    private static partial void LogScheduleFailed(ILogger logger, Exception exception);
}

/// <summary>The retention job: erases what each workspace's retention policy says is too old.</summary>
public sealed class ApplyRetention(LeadRetention retention) : IJobHandler
{
    public const string Kind = "privacy.retention";

    public sealed record Payload(long Slot);

    string IJobHandler.Kind => Kind;

    public async Task HandleAsync(JobContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        // Each batch commits on its own, so a failure part-way keeps what was done and the retry finishes the rest.
        await retention.ApplyAsync(cancellationToken);
        await context.CompleteAsync(null, cancellationToken);
    }
}
