using Leadwire.MetaEmulator.Graph;
using Leadwire.MetaEmulator.State;
using Leadwire.MetaEmulator.Webhooks;

namespace Leadwire.MetaEmulator.Control;

/// <summary>POST /_emulator/reset: forget everything but the app settings.</summary>
internal sealed class EmulatorReset(
    EmulatorState state,
    FaultRegistry faults,
    GraphRequestLog requests,
    GraphStats stats,
    WebhookDispatcher dispatcher,
    WebhookBehaviourState behaviour,
    WebhookCounters counters,
    DeliveryLog deliveries)
{
    public void Reset()
    {
        dispatcher.Reset();
        behaviour.Reset();
        state.Reset();
        faults.Clear();
        requests.Clear();
        stats.Clear();
        counters.Reset();
        deliveries.Clear();
    }
}
