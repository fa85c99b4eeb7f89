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
        Channel.CreateUnbounded<LeadgenChange>(new UnboundedChannelOptions { SingleReader = true });

    public ChannelReader<LeadgenChange> Reader => _channel.Reader;

    public int Count => _channel.Reader.Count;

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

        _channel.Writer.TryWrite(LeadgenChange.From(lead));
        return EnqueueResult.Queued;
    }

    public void Clear()
    {
        while (_channel.Reader.TryRead(out _))
        {
        }
    }
}
