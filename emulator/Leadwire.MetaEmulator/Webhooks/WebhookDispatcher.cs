using System.Collections.Concurrent;
using Leadwire.MetaEmulator.State;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Leadwire.MetaEmulator.Webhooks;

/// <summary>
/// Turns queued changes into signed POSTs: waits up to linger_ms (or until max_batch_size changes) after the first
/// change, groups by page, and keeps at most MaxConcurrentDeliveries POSTs in flight. A failed POST is retried per
/// the retry schedule; the slot is released while waiting so a dead receiver cannot block fresh batches.
/// </summary>
internal sealed partial class WebhookDispatcher(
    WebhookQueue queue,
    WebhookBehaviourState behaviour,
    WebhookCounters counters,
    DeliveryLog log,
    WebhookSender sender,
    EmulatorState state,
    MetaEmulatorSettings settings,
    ILogger<WebhookDispatcher> logger) : BackgroundService
{
    private readonly SemaphoreSlim _slots = new(settings.MaxConcurrentDeliveries);
    private readonly ConcurrentDictionary<Task, byte> _deliveries = new();
    private CancellationTokenSource _generation = new();
    private long _deliveryIds;

    private TimeProvider Time => state.Time;

    /// <summary>Abandons queued changes, pending retries and in-flight POSTs (control API reset).</summary>
    public void Reset()
    {
        var previous = Interlocked.Exchange(ref _generation, new CancellationTokenSource());
        previous.Cancel();
        queue.Clear();
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await _generation.CancelAsync();
        await base.StopAsync(cancellationToken);
        await Task.WhenAll(_deliveries.Keys).WaitAsync(cancellationToken);
    }

    public override void Dispose()
    {
        _slots.Dispose();
        _generation.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            await _slots.WaitAsync(stoppingToken);
            List<LeadgenChange>? batch = null;
            try
            {
                await behaviour.WaitWhilePausedAsync(stoppingToken);
                if (!await queue.WaitToReadAsync(stoppingToken))
                {
                    return;
                }

                await behaviour.WaitWhilePausedAsync(stoppingToken);
                batch = await CollectBatchAsync(stoppingToken);
            }
            finally
            {
                if (batch is not { Count: > 0 })
                {
                    _slots.Release();
                }
            }

            if (batch.Count > 0)
            {
                Track(DeliverAsync(batch, _generation.Token));
            }
        }
    }

    private async Task<List<LeadgenChange>> CollectBatchAsync(CancellationToken stoppingToken)
    {
        var max = behaviour.MaxBatchSize;
        var linger = behaviour.LingerMs;
        var batch = new List<LeadgenChange>(Math.Min(max, 64));
        var started = Time.GetTimestamp();
        while (batch.Count < max)
        {
            if (queue.TryRead(out var change))
            {
                batch.Add(change);
                continue;
            }

            var remaining = TimeSpan.FromMilliseconds(linger) - Time.GetElapsedTime(started);
            if (batch.Count > 0 && remaining <= TimeSpan.Zero)
            {
                break;
            }

            using var lingerTimeout = new CancellationTokenSource(remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero, Time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, lingerTimeout.Token);
            try
            {
                if (!await queue.WaitToReadAsync(linked.Token))
                {
                    break;
                }
            }
            catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
            {
                break;
            }
        }

        return batch;
    }

    private void Track(Task delivery)
    {
        _deliveries.TryAdd(delivery, 0);
        delivery.ContinueWith(
            static (finished, deliveries) => ((ConcurrentDictionary<Task, byte>)deliveries!).TryRemove(finished, out _),
            _deliveries,
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }

    /// <summary>Runs with a slot already held for the first attempt. Never throws.</summary>
    private async Task DeliverAsync(List<LeadgenChange> batch, CancellationToken generation)
    {
        var deliveryId = Interlocked.Increment(ref _deliveryIds);
        var leadIds = batch.ConvertAll(change => change.LeadId);
        var schedule = behaviour.RetryScheduleMs;
        var duplicate = behaviour.TryTakeDuplicate();
        byte[]? body = null;
        var holdsSlot = true;
        try
        {
            for (var attempt = 1; ; attempt++)
            {
                if (!holdsSlot)
                {
                    await _slots.WaitAsync(generation);
                    holdsSlot = true;
                }

                bool succeeded;
                try
                {
                    await behaviour.WaitWhilePausedAsync(generation);
                    if (behaviour.DelayMs is > 0 and var delay)
                    {
                        await Task.Delay(TimeSpan.FromMilliseconds(delay), Time, generation);
                    }

                    var app = state.App;
                    if (app.CallbackUrl is not { } url)
                    {
                        LogAttempt(deliveryId, attempt, batch.Count, leadIds, new SendResult(null, null, "no callback_url configured", TimeSpan.Zero), duplicate: false);
                        counters.GaveUp(batch.Count);
                        return;
                    }

                    // Serialised once: a retry re-sends the same bytes (entry.time is the first send time).
                    body ??= LeadgenPayload.Serialize(batch, Time.GetUtcNow().ToUnixTimeSeconds());
                    if (duplicate && attempt == 1)
                    {
                        var results = await Task.WhenAll(
                            SendAsync(url, body, app.AppSecret, deliveryId, attempt, batch.Count, leadIds, isDuplicate: false, generation),
                            SendAsync(url, body, app.AppSecret, deliveryId, attempt, batch.Count, leadIds, isDuplicate: true, generation));
                        succeeded = results[0];
                    }
                    else
                    {
                        succeeded = await SendAsync(url, body, app.AppSecret, deliveryId, attempt, batch.Count, leadIds, isDuplicate: false, generation);
                    }
                }
                finally
                {
                    _slots.Release();
                    holdsSlot = false;
                }

                if (succeeded)
                {
                    counters.Delivered(batch.Count);
                    return;
                }

                if (attempt > schedule.Length)
                {
                    counters.GaveUp(batch.Count);
                    LogGaveUp(logger, deliveryId, batch.Count, attempt);
                    return;
                }

                if (schedule[attempt - 1] is > 0 and var wait)
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(wait), Time, generation);
                }
            }
        }
        catch (OperationCanceledException) when (generation.IsCancellationRequested)
        {
            // Reset or shutdown: the delivery is abandoned on purpose.
        }
        finally
        {
            if (holdsSlot)
            {
                _slots.Release();
            }
        }
    }

    private async Task<bool> SendAsync(
        string url,
        byte[] body,
        string secret,
        long deliveryId,
        int attempt,
        int changeCount,
        List<string> leadIds,
        bool isDuplicate,
        CancellationToken generation)
    {
        counters.AttemptStarted(isDuplicate);
        var failed = true;
        try
        {
            var result = await sender.PostAsync(url, body, secret, SignatureMode.Valid, readBody: false, generation);
            failed = !result.Succeeded;
            LogAttempt(deliveryId, attempt, changeCount, leadIds, result, isDuplicate);
            return result.Succeeded;
        }
        finally
        {
            counters.AttemptFinished(failed);
        }
    }

    private void LogAttempt(long deliveryId, int attempt, int changeCount, List<string> leadIds, SendResult result, bool duplicate) =>
        log.Add(new DeliveryAttempt
        {
            DeliveryId = deliveryId,
            Attempt = attempt,
            StatusCode = result.StatusCode,
            Error = result.Error,
            ChangeCount = changeCount,
            LeadIds = leadIds,
            At = Time.GetUtcNow(),
            DurationMs = Math.Round(result.Duration.TotalMilliseconds, 3),
            Duplicate = duplicate,
        });

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook delivery {DeliveryId} ({ChangeCount} changes) given up after {Attempts} attempts")]
    private static partial void LogGaveUp(ILogger logger, long deliveryId, int changeCount, int attempts);
}
