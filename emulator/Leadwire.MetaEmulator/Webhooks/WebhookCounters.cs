namespace Leadwire.MetaEmulator.Webhooks;

internal sealed class WebhookCounters
{
    private long _delivered;
    private long _dropped;
    private long _skipped;
    private long _givenUp;
    private long _attempts;
    private long _failedAttempts;
    private long _successfulDeliveries;
    private long _duplicates;
    private int _inFlight;

    public void Delivered(int changes)
    {
        Interlocked.Add(ref _delivered, changes);
        Interlocked.Increment(ref _successfulDeliveries);
    }

    public void Dropped() => Interlocked.Increment(ref _dropped);

    public void Skipped() => Interlocked.Increment(ref _skipped);

    public void GaveUp(int changes) => Interlocked.Add(ref _givenUp, changes);

    public void AttemptStarted(bool duplicate)
    {
        Interlocked.Increment(ref _inFlight);
        Interlocked.Increment(ref _attempts);
        if (duplicate)
        {
            Interlocked.Increment(ref _duplicates);
        }
    }

    public void AttemptFinished(bool failed)
    {
        Interlocked.Decrement(ref _inFlight);
        if (failed)
        {
            Interlocked.Increment(ref _failedAttempts);
        }
    }

    public void Reset()
    {
        Interlocked.Exchange(ref _delivered, 0);
        Interlocked.Exchange(ref _dropped, 0);
        Interlocked.Exchange(ref _skipped, 0);
        Interlocked.Exchange(ref _givenUp, 0);
        Interlocked.Exchange(ref _attempts, 0);
        Interlocked.Exchange(ref _failedAttempts, 0);
        Interlocked.Exchange(ref _successfulDeliveries, 0);
        Interlocked.Exchange(ref _duplicates, 0);
    }

    public WebhookDeliveryStats ToView(int queued) => new()
    {
        Queued = queued,
        InFlight = Volatile.Read(ref _inFlight),
        DeliveredChanges = Interlocked.Read(ref _delivered),
        DroppedChanges = Interlocked.Read(ref _dropped),
        SkippedChanges = Interlocked.Read(ref _skipped),
        GivenUpChanges = Interlocked.Read(ref _givenUp),
        Attempts = Interlocked.Read(ref _attempts),
        FailedAttempts = Interlocked.Read(ref _failedAttempts),
        SuccessfulDeliveries = Interlocked.Read(ref _successfulDeliveries),
        DuplicatesSent = Interlocked.Read(ref _duplicates),
    };
}
