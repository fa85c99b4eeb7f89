using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Leadwire.Data;

/// <summary>One POST from Meta exactly as received, stored before it is acknowledged.</summary>
public sealed class WebhookDelivery
{
    public long Id { get; set; }
    public DateTime ReceivedAt { get; set; }

    /// <summary>Only verified deliveries are stored; kept explicit so replays and listings say so.</summary>
    public required string SignatureStatus { get; set; }
    public required byte[] Body { get; set; }
    public WebhookDeliveryStatus Status { get; set; } = WebhookDeliveryStatus.Received;
    public string? Error { get; set; }
    public int ChangeCount { get; set; }
    public DateTime? ProcessedAt { get; set; }
}

public enum WebhookDeliveryStatus
{
    Received,
    Processed,
    Dead,
}

internal sealed class WebhookDeliveryConfiguration : IEntityTypeConfiguration<WebhookDelivery>
{
    public void Configure(EntityTypeBuilder<WebhookDelivery> builder)
    {
        builder.ToTable("webhook_deliveries");
        builder.HasKey(d => d.Id);
        builder.Property(d => d.SignatureStatus).HasMaxLength(32);
        builder.Property(d => d.Status).HasConversion<string>().HasMaxLength(32);
        builder.Property(d => d.Error).HasMaxLength(4096);
    }
}
