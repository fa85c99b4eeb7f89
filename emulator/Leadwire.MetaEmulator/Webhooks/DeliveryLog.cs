using Leadwire.MetaEmulator.State;

namespace Leadwire.MetaEmulator.Webhooks;

internal sealed class DeliveryLog(MetaEmulatorSettings settings)
{
    private readonly RingBuffer<DeliveryAttempt> _attempts = new(settings.WebhookLogCapacity);

    public void Add(DeliveryAttempt attempt) => _attempts.Add(attempt);

    public IReadOnlyList<DeliveryAttempt> Latest(int limit) => _attempts.Latest(limit);

    public void Clear() => _attempts.Clear();
}
