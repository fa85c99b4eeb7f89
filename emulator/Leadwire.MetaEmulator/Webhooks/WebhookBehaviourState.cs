namespace Leadwire.MetaEmulator.Webhooks;

/// <summary>Live delivery knobs and one-shot faults, changed through the control API.</summary>
internal sealed class WebhookBehaviourState
{
    private readonly Lock _gate = new();
    private readonly MetaEmulatorSettings _settings;
    private int _dropNext;
    private int _duplicateNext;
    private volatile int _delayMs;
    private volatile int _maxBatchSize;
    private volatile int _lingerMs;
    private volatile int[] _retryScheduleMs;
    private volatile TaskCompletionSource? _resume;

    public WebhookBehaviourState(MetaEmulatorSettings settings)
    {
        _settings = settings;
        _maxBatchSize = settings.MaxBatchSize;
        _lingerMs = settings.LingerMs;
        _retryScheduleMs = [.. settings.RetryScheduleMs];
    }

    public int DelayMs => _delayMs;

    public int MaxBatchSize => _maxBatchSize;

    public int LingerMs => _lingerMs;

    public int[] RetryScheduleMs => _retryScheduleMs;

    public bool Paused => _resume is not null;

    /// <summary>Completes at once unless delivery is paused; then when it is resumed.</summary>
    public Task WaitWhilePausedAsync(CancellationToken cancellationToken) =>
        _resume is { } resume ? resume.Task.WaitAsync(cancellationToken) : Task.CompletedTask;

    public bool TryTakeDrop() => TryTake(ref _dropNext);

    public bool TryTakeDuplicate() => TryTake(ref _duplicateNext);

    public string? Apply(WebhookBehaviourUpdate update)
    {
        if (update.DropNext < 0 || update.DuplicateNext < 0 || update.DelayMs < 0 || update.LingerMs < 0)
        {
            return "drop_next, duplicate_next, delay_ms and linger_ms must not be negative.";
        }

        if (update.MaxBatchSize is < 1 or > 1000)
        {
            return "max_batch_size must be 1..1000.";
        }

        if (update.RetryScheduleMs is { } schedule && schedule.Any(ms => ms < 0))
        {
            return "retry_schedule_ms must not contain negative numbers.";
        }

        lock (_gate)
        {
            if (update.DropNext is { } drop)
            {
                Volatile.Write(ref _dropNext, drop);
            }

            if (update.DuplicateNext is { } duplicate)
            {
                Volatile.Write(ref _duplicateNext, duplicate);
            }

            _delayMs = update.DelayMs ?? _delayMs;
            _maxBatchSize = update.MaxBatchSize ?? _maxBatchSize;
            _lingerMs = update.LingerMs ?? _lingerMs;
            if (update.RetryScheduleMs is { } retry)
            {
                _retryScheduleMs = [.. retry];
            }

            if (update.Paused is { } paused)
            {
                SetPaused(paused);
            }
        }

        return null;
    }

    public void Reset()
    {
        lock (_gate)
        {
            Volatile.Write(ref _dropNext, 0);
            Volatile.Write(ref _duplicateNext, 0);
            _delayMs = 0;
            _maxBatchSize = _settings.MaxBatchSize;
            _lingerMs = _settings.LingerMs;
            _retryScheduleMs = [.. _settings.RetryScheduleMs];
            SetPaused(false);
        }
    }

    public WebhookBehaviour ToView() => new()
    {
        DropNext = Volatile.Read(ref _dropNext),
        DuplicateNext = Volatile.Read(ref _duplicateNext),
        DelayMs = _delayMs,
        Paused = Paused,
        MaxBatchSize = _maxBatchSize,
        LingerMs = _lingerMs,
        RetryScheduleMs = _retryScheduleMs,
        MaxConcurrentDeliveries = _settings.MaxConcurrentDeliveries,
    };

    private static bool TryTake(ref int counter)
    {
        while (true)
        {
            var current = Volatile.Read(ref counter);
            if (current <= 0)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref counter, current - 1, current) == current)
            {
                return true;
            }
        }
    }

    private void SetPaused(bool paused)
    {
        if (paused)
        {
            _resume ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        else if (_resume is { } resume)
        {
            _resume = null;
            resume.TrySetResult();
        }
    }
}
