namespace Leadwire.Features.Jobs;

/// <summary>
/// Wakes the job runner early when work is enqueued, instead of waiting for the next poll. On PostgreSQL the
/// wake-up is also broadcast with NOTIFY so the other instances hear it.
/// </summary>
public sealed class JobSignal : IDisposable
{
    private readonly SemaphoreSlim _local = new(0, 1);
    private int _broadcastPending;

    /// <summary>Raised (coalesced) when other instances should be told; the PostgreSQL notifier listens.</summary>
    internal SemaphoreSlim BroadcastRequested { get; } = new(0, 1);

    public void Wake()
    {
        WakeLocal();
        if (Interlocked.Exchange(ref _broadcastPending, 1) == 0)
        {
            Release(BroadcastRequested);
        }
    }

    /// <summary>Wakes only this instance (used when a NOTIFY arrives from another).</summary>
    public void WakeLocal() => Release(_local);

    internal void BroadcastSent() => Interlocked.Exchange(ref _broadcastPending, 0);

    public void Dispose()
    {
        _local.Dispose();
        BroadcastRequested.Dispose();
    }

    public async Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        try
        {
            await _local.WaitAsync(timeout, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Shutting down: the caller's loop checks the token.
        }
    }

    private static void Release(SemaphoreSlim semaphore)
    {
        try
        {
            semaphore.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already signalled; one wake-up is as good as many.
        }
    }
}
