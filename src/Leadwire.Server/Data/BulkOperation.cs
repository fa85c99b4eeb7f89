using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Leadwire.Data;

/// <summary>
/// A bulk action (status, assign, tag, delete, export) over a list of lead ids or a whole filter, run as background
/// work in chunks; <see cref="Processed"/> of <see cref="Total"/> is the progress people watch.
/// </summary>
public sealed class BulkOperation
{
    public long Id { get; set; }
    public long WorkspaceId { get; set; }
    public long? CreatedByUserId { get; set; }
    public required string CreatedBy { get; set; }
    public required string Kind { get; set; }
    public BulkOperationStatus Status { get; set; } = BulkOperationStatus.Pending;

    /// <summary>The request as accepted (ids or filter, and the action's parameters), JSON.</summary>
    public required string RequestJson { get; set; }

    public int Total { get; set; }
    public int Processed { get; set; }
    public int Failed { get; set; }

    /// <summary>The last lead id done, so a restarted operation resumes where it stopped.</summary>
    public long? Checkpoint { get; set; }

    /// <summary>Why the whole operation failed, if it did.</summary>
    public string? Error { get; set; }

    /// <summary>A sample of the per-lead failures (JSON array of strings), e.g. transitions the workflow refuses.</summary>
    public string? ErrorsJson { get; set; }

    /// <summary>For exports: the file (under the data folder) and its content type once complete.</summary>
    public string? ResultPath { get; set; }
    public string? ResultContentType { get; set; }

    public DateTime CreatedAt { get; set; }
    public DateTime? StartedAt { get; set; }
    public DateTime? FinishedAt { get; set; }
}

public enum BulkOperationStatus
{
    Pending,
    Running,
    Succeeded,
    Failed,
}

internal sealed class BulkOperationConfiguration : IEntityTypeConfiguration<BulkOperation>
{
    public void Configure(EntityTypeBuilder<BulkOperation> builder)
    {
        builder.ToTable("bulk_operations");
        builder.HasKey(b => b.Id);
        builder.Property(b => b.CreatedBy).HasMaxLength(256);
        builder.Property(b => b.Kind).HasMaxLength(32);
        builder.Property(b => b.Status).HasConversion<string>().HasMaxLength(16);
        builder.Property(b => b.ResultPath).HasMaxLength(512);
        builder.Property(b => b.ResultContentType).HasMaxLength(128);
        builder.HasIndex(b => new { b.WorkspaceId, b.Id });
        builder.HasOne<Workspace>().WithMany().HasForeignKey(b => b.WorkspaceId).OnDelete(DeleteBehavior.Cascade);
    }
}
