using System.Diagnostics.Metrics;

namespace Leadwire.Features.Webhooks;

/// <summary>Counts what the webhook endpoint turned away and accepted (meter "Leadwire.Webhooks").</summary>
public sealed class WebhookStats : IDisposable
{
    private readonly Meter _meter = new("Leadwire.Webhooks");
    private readonly Counter<long> _accepted;
    private readonly Counter<long> _rejectedSignature;
    private readonly Counter<long> _rejectedSize;
    private long _acceptedTotal;
    private long _rejectedSignatureTotal;
    private long _rejectedSizeTotal;

    public WebhookStats()
    {
        _accepted = _meter.CreateCounter<long>("leadwire.webhooks.accepted");
        _rejectedSignature = _meter.CreateCounter<long>("leadwire.webhooks.rejected_signature");
        _rejectedSize = _meter.CreateCounter<long>("leadwire.webhooks.rejected_size");
    }

    public long Accepted => Interlocked.Read(ref _acceptedTotal);
    public long RejectedSignature => Interlocked.Read(ref _rejectedSignatureTotal);
    public long RejectedSize => Interlocked.Read(ref _rejectedSizeTotal);

    public void CountAccepted()
    {
        Interlocked.Increment(ref _acceptedTotal);
        _accepted.Add(1);
    }

    public void CountRejectedSignature()
    {
        Interlocked.Increment(ref _rejectedSignatureTotal);
        _rejectedSignature.Add(1);
    }

    public void CountRejectedSize()
    {
        Interlocked.Increment(ref _rejectedSizeTotal);
        _rejectedSize.Add(1);
    }

    public void Dispose() => _meter.Dispose();
}
