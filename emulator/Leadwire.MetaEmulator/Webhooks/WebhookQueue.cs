using System.Diagnostics.CodeAnalysis;
using System.Threading.Channels;
using Leadwire.MetaEmulator.State;

namespace Leadwire.MetaEmulator.Webhooks;

internal enum EnqueueResult
{
    Queued,
    Skipped,
    Dropped,
}

/// <summary>Changes waiting for the dispatcher. Like Meta, nothing is queued for a page without the app installed
/// or while the app has no leadgen subscription.</summary>
internal sealed class WebhookQueue(EmulatorState state, WebhookBehaviourState behaviour, WebhookCounters counters)
{
    private readonly Channel<LeadgenChange> _channel =
        Channel.CreateUnbounded<LeadgenChange>(new UnboundedChannelOptions { SingleReader = false });

    private int _count;

    /// <summary>Changes waiting (kept here so stats never depend on channel internals).</summary>
    public int Count => Volatile.Read(ref _count);

    public ValueTask<bool> WaitToReadAsync(CancellationToken cancellationToken) => _channel.Reader.WaitToReadAsync(cancellationToken);

    public bool TryRead([MaybeNullWhen(false)] out LeadgenChange change)
    {
        if (_channel.Reader.TryRead(out change))
        {
            Interlocked.Decrement(ref _count);
            return true;
        }

        return false;
    }

    public EnqueueResult Enqueue(LeadRecord lead)
    {
        if (!state.App.ReceivesLeadgen || !lead.Form.Page.ReceivesLeadgen)
        {
            counters.Skipped();
            return EnqueueResult.Skipped;
        }

        if (behaviour.TryTakeDrop())
        {
            counters.Dropped();
            return EnqueueResult.Dropped;
        }

        Interlocked.Increment(ref _count);
        _channel.Writer.TryWrite(LeadgenChange.From(lead));
        return EnqueueResult.Queued;
    }

    public void Clear()
    {
        while (TryRead(out _))
        {
        }
    }
}
