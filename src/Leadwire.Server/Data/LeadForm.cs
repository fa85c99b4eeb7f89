using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Leadwire.Data;

/// <summary>A Lead Ads instant form (Meta's LeadgenForm) and the reconciliation checkpoint for it.</summary>
public sealed class LeadForm
{
    public long Id { get; set; }
    public long PageId { get; set; }
    public Page? Page { get; set; }
    public required string MetaFormId { get; set; }
    public required string Name { get; set; }

    /// <summary>Meta's status: ACTIVE, ARCHIVED, DELETED or DRAFT.</summary>
    public required string Status { get; set; }
    public string? Locale { get; set; }

    /// <summary>The form's questions as Meta returned them (JSON array of key, label, type, options).</summary>
    public required string QuestionsJson { get; set; }
    public DateTime? MetaCreatedTime { get; set; }
    public DateTime SyncedAt { get; set; }

    /// <summary>Every lead created before this instant is known to be stored. Never moves past a lead that failed.</summary>
    public DateTime? ReconciledThrough { get; set; }
    public DateTime? LastReconciledAt { get; set; }
}

internal sealed class LeadFormConfiguration : IEntityTypeConfiguration<LeadForm>
{
    public void Configure(EntityTypeBuilder<LeadForm> builder)
    {
        builder.ToTable("forms");
        builder.HasKey(f => f.Id);
        builder.Property(f => f.MetaFormId).HasMaxLength(64);
        builder.HasIndex(f => f.MetaFormId).IsUnique();
        builder.Property(f => f.Name).HasMaxLength(512);
        builder.Property(f => f.Status).HasMaxLength(32);
        builder.Property(f => f.Locale).HasMaxLength(16);
        builder.HasOne(f => f.Page).WithMany(p => p.Forms).HasForeignKey(f => f.PageId).OnDelete(DeleteBehavior.Cascade);
    }
}
