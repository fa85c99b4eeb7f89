using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Leadwire.Data;

/// <summary>
/// A data-deletion request Meta forwarded from a person who removed the app (the <c>signed_request</c> callback).
/// The confirmation code is what Meta shows that person; its status page is public, so it never shows the user id.
/// </summary>
public sealed class DataDeletionRequest
{
    public long Id { get; set; }

    /// <summary>Random and unguessable: it is the only key to the public status page.</summary>
    public required string ConfirmationCode { get; set; }

    /// <summary>The app-scoped user id from the signed request, kept as the record of whose data was asked for.</summary>
    public required string MetaUserId { get; set; }

    public DateTime ReceivedAt { get; set; }
    public DataDeletionStatus Status { get; set; }
    public int LeadsErased { get; set; }
    public DateTime? CompletedAt { get; set; }
}

public enum DataDeletionStatus
{
    Received,
    Completed,
}

internal sealed class DataDeletionRequestConfiguration : IEntityTypeConfiguration<DataDeletionRequest>
{
    public void Configure(EntityTypeBuilder<DataDeletionRequest> builder)
    {
        builder.ToTable("data_deletion_requests");
        builder.HasKey(r => r.Id);
        builder.Property(r => r.ConfirmationCode).HasMaxLength(64);
        builder.HasIndex(r => r.ConfirmationCode).IsUnique();
        builder.Property(r => r.MetaUserId).HasMaxLength(64);
        builder.Property(r => r.Status).HasConversion<string>().HasMaxLength(16);
    }
}
