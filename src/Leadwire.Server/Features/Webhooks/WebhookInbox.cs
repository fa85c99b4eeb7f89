using System.Threading.Channels;
using Leadwire.Data;
using Leadwire.Features.Jobs;
using Leadwire.Infrastructure;
using Microsoft.Extensions.Options;

namespace Leadwire.Features.Webhooks;

/// <summary>
/// The durable inbox. Each verified delivery is written with the job that will process it, and the request is
/// answered only after that commit. Concurrent deliveries share one transaction and one job (group commit), which
/// is what keeps acknowledgement fast when the database can do only one write at a time.
/// </summary>
public sealed partial class WebhookInbox(
    IServiceScopeFactory scopes,
    WriteGate gate,
    JobSignal signal,
    TimeProvider time,
    IOptions<WebhookOptions> options,
    IOptionsMonitor<JobOptions> jobOptions,
    ILogger<WebhookInbox> logger) : BackgroundService
{
    public const string SignatureVerified = "verified";

    private readonly InboxStore _store = new(scopes, jobOptions);
    private long _windowStartTicks;
    private int _windowCount;
    private int _lastWindowRate;

    /// <summary>Deliveries stored per second, over the last quarter-second window (0 once traffic stops).</summary>
    public int RecentRate
    {
        get
        {
            var age = time.GetUtcNow().UtcTicks - Interlocked.Read(ref _windowStartTicks);
            return age > 2 * WindowTicks ? 0 : Math.Max(Volatile.Read(ref _lastWindowRate), Volatile.Read(ref _windowCount) * 4);
        }
    }

    private const long WindowTicks = TimeSpan.TicksPerSecond / 4;

    private readonly Channel<Pending> _pending = Channel.CreateBounded<Pending>(
        new BoundedChannelOptions(8192) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

    /// <summary>Completes once the delivery is committed; throws if it could not be stored.</summary>
    public async Task AcceptAsync(byte[] body, CancellationToken cancellationToken)
    {
        var pending = new Pending(body);
        await _pending.Writer.WriteAsync(pending, cancellationToken);
        await pending.Stored.Task.WaitAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<Pending>(options.Value.InboxBatchSize);
        // Keep draining after shutdown starts: the server has stopped taking requests, but some await a commit.
        while (await _pending.Reader.WaitToReadAsync(CancellationToken.None))
        {
            while (batch.Count < options.Value.InboxBatchSize && _pending.Reader.TryRead(out var item))
            {
                batch.Add(item);
            }
            await WriteAsync(batch);
            batch.Clear();
            if (stoppingToken.IsCancellationRequested && _pending.Reader.Count == 0)
            {
                break;
            }
        }
        // The loop owns the store: disposing it anywhere else could race a write still in progress.
        await _store.DisposeAsync();
    }

    private async Task WriteAsync(List<Pending> batch)
    {
        try
        {
            // The priority lane: a Meta request is waiting on this commit.
            using var permit = await gate.EnterAsync(CancellationToken.None, priority: true);
            await _store.StoreAsync(batch.ConvertAll(p => p.Body), time.GetUtcNow().UtcDateTime);
        }
        catch (Exception e)
        {
            LogInboxWriteFailed(logger, batch.Count, e);
            foreach (var item in batch)
            {
                item.Stored.TrySetException(new InboxUnavailableException(e));
            }
            return;
        }

        foreach (var item in batch)
        {
            item.Stored.TrySetResult();
        }
        CountStored(batch.Count);
        signal.Wake();
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        _pending.Writer.TryComplete();
        await base.StopAsync(cancellationToken);
    }

    private void CountStored(int count)
    {
        // Only the single writer loop updates the window; readers see a slightly stale rate, which is fine.
        var now = time.GetUtcNow().UtcTicks;
        if (now - _windowStartTicks >= WindowTicks)
        {
            Volatile.Write(ref _lastWindowRate, now - _windowStartTicks < 2 * WindowTicks ? _windowCount * 4 : 0);
            Volatile.Write(ref _windowCount, 0);
            Interlocked.Exchange(ref _windowStartTicks, now);
        }
        Volatile.Write(ref _windowCount, _windowCount + count);
    }

    private sealed class Pending(byte[] body)
    {
        public byte[] Body { get; } = body;
        public TaskCompletionSource Stored { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not store {Count} webhook deliveries; Meta will be told to retry")]
    private static partial void LogInboxWriteFailed(ILogger logger, int count, Exception exception);
}

public sealed class InboxUnavailableException(Exception inner) : Exception("The webhook inbox could not store the delivery.", inner);
