using Leadwire.Data;
using Leadwire.Features.Jobs;
using Leadwire.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Leadwire.Features.Reconciliation;

/// <summary>
/// Every interval, enqueues one reconciliation per active form. The dedupe key names the interval slot, so several
/// instances scheduling at once still enqueue each form once per slot.
/// </summary>
public sealed partial class ReconciliationScheduler(
    IServiceScopeFactory scopes, JobEnqueuer queue, WriteGate gate, JobSignal signal, TimeProvider time,
    IOptionsMonitor<ReconciliationOptions> options, IOptionsMonitor<JobOptions> jobOptions, ILogger<ReconciliationScheduler> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.CurrentValue.Enabled || !jobOptions.CurrentValue.RunnerEnabled)
        {
            return;
        }
        using var timer = new PeriodicTimer(options.CurrentValue.Interval, time);
        do
        {
            try
            {
                var added = await ScheduleAsync(stoppingToken);
                if (added > 0)
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

    public async Task<int> ScheduleAsync(CancellationToken cancellationToken)
    {
        var interval = options.CurrentValue.Interval;
        var slot = time.GetUtcNow().UtcTicks / interval.Ticks;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<LeadwireDbContext>();
        var forms = await db.Forms
            .Where(f => f.Status == "ACTIVE" && f.Page!.Status == PageStatus.Active)
            .Select(f => new { f.Id, f.PageId })
            .ToListAsync(cancellationToken);

        var added = 0;
        await db.InWriteTransactionAsync(gate, async () =>
        {
            foreach (var form in forms)
            {
                if (await queue.EnqueueUniqueAsync(null, db, ReconcileForm.Kind, new ReconcileForm.Payload(form.Id),
                        $"{ReconcileForm.Kind}:{form.Id}:{slot}", form.PageId, cancellationToken))
                {
                    added++;
                }
            }
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

    [LoggerMessage(Level = LogLevel.Error, Message = "Scheduling reconciliation failed; will try at the next interval")]
    private static partial void LogScheduleFailed(ILogger logger, Exception exception);
}
