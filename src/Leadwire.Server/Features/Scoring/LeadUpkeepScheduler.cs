using Leadwire.Data;
using Leadwire.Features.Jobs;
using Leadwire.Features.Leads;
using Leadwire.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Leadwire.Features.Scoring;

/// <summary>
/// The clock of lead upkeep. Every <see cref="LeadIntakeOptions.SlaCheckInterval"/> it enqueues the SLA check, and
/// an intake run if any lead still waits for one (the safety net behind the follow-up each write enqueues); every
/// <see cref="LeadIntakeOptions.AgeingInterval"/> the ageing rescore. Dedupe keys name the interval slot, so several
/// instances scheduling at once still enqueue each piece of work once per slot.
/// </summary>
public sealed partial class LeadUpkeepScheduler(
    IServiceScopeFactory scopes, JobEnqueuer queue, LeadIntake intake, WriteGate gate, JobSignal signal, TimeProvider time,
    IOptionsMonitor<LeadIntakeOptions> options, IOptionsMonitor<JobOptions> jobOptions, ILogger<LeadUpkeepScheduler> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!jobOptions.CurrentValue.RunnerEnabled)
        {
            return;
        }
        using var timer = new PeriodicTimer(options.CurrentValue.SlaCheckInterval, time);
        do
        {
            try
            {
                if (await ScheduleAsync(stoppingToken) > 0)
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

    /// <summary>Enqueues what is due now; returns how many jobs were added.</summary>
    public async Task<int> ScheduleAsync(CancellationToken cancellationToken)
    {
        var settings = options.CurrentValue;
        var ticks = time.GetUtcNow().UtcTicks;
        var slaSlot = ticks / settings.SlaCheckInterval.Ticks;
        var ageingSlot = ticks / settings.AgeingInterval.Ticks;

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<LeadwireDbContext>();
        var intakeBehind = await db.Leads.AnyAsync(l => l.ContactId == null && l.ErasedAt == null, cancellationToken);

        var added = 0;
        await db.InWriteTransactionAsync(gate, async () =>
        {
            if (await queue.EnqueueUniqueAsync(null, db, MarkSlaBreaches.Kind, new MarkSlaBreaches.Payload(), $"{MarkSlaBreaches.Kind}:{slaSlot}", null, cancellationToken))
            {
                added++;
            }
            if (await queue.EnqueueUniqueAsync(null, db, AgeLeadScores.Kind, new AgeLeadScores.Payload(), $"{AgeLeadScores.Kind}:{ageingSlot}", null, cancellationToken))
            {
                added++;
            }
            if (intakeBehind)
            {
                await intake.EnqueueFollowUpNowAsync(db, cancellationToken);
                added++;
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

    [LoggerMessage(Level = LogLevel.Error, Message = "Scheduling lead upkeep failed; will try at the next interval")]
    private static partial void LogScheduleFailed(ILogger logger, Exception exception);
}
