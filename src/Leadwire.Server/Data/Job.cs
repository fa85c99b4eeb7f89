using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Leadwire.Data;

/// <summary>A unit of background work. All background work is a row here (transactional outbox).</summary>
public sealed class Job
{
    public long Id { get; set; }
    public required string Kind { get; set; }
    public required string Payload { get; set; }
    public JobStatus Status { get; set; } = JobStatus.Pending;

    /// <summary>Unique when set: enqueuing the same key twice yields one job (one set of follow-up work).</summary>
    public string? DedupeKey { get; set; }

    /// <summary>The page whose token the job needs; its jobs are parked while the page needs re-authorisation.</summary>
    public long? PageId { get; set; }

    public DateTime RunAfter { get; set; }
    public int Attempts { get; set; }
    public int MaxAttempts { get; set; }
    public string? LeaseOwner { get; set; }
    public DateTime? LeaseExpiresAt { get; set; }
    public string? LastError { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
    public DateTime? CompletedAt { get; set; }
}

public enum JobStatus
{
    Pending,
    Running,
    Succeeded,
    Parked,
    Dead,
}

internal sealed class JobConfiguration : IEntityTypeConfiguration<Job>
{
    public void Configure(EntityTypeBuilder<Job> builder)
    {
        builder.ToTable("jobs");
        builder.HasKey(j => j.Id);
        builder.Property(j => j.Kind).HasMaxLength(64);
        builder.Property(j => j.Status).HasConversion<string>().HasMaxLength(16);
        builder.Property(j => j.DedupeKey).HasMaxLength(256);
        builder.HasIndex(j => j.DedupeKey).IsUnique();
        builder.Property(j => j.LeaseOwner).HasMaxLength(128);
        builder.Property(j => j.LastError).HasMaxLength(4096);
        builder.HasIndex(j => new { j.Status, j.RunAfter });
        builder.HasIndex(j => new { j.PageId, j.Status });
    }
}
