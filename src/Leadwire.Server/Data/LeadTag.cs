using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Leadwire.Data;

/// <summary>A free-form label on a lead (lower-cased, trimmed). The workspace is repeated for tag listings.</summary>
public sealed class LeadTag
{
    public long LeadId { get; set; }
    public required string Tag { get; set; }
    public long WorkspaceId { get; set; }
}

internal sealed class LeadTagConfiguration : IEntityTypeConfiguration<LeadTag>
{
    public void Configure(EntityTypeBuilder<LeadTag> builder)
    {
        builder.ToTable("lead_tags");
        builder.HasKey(t => new { t.LeadId, t.Tag });
        builder.Property(t => t.Tag).HasMaxLength(64);
        builder.HasIndex(t => new { t.WorkspaceId, t.Tag, t.LeadId });
        builder.HasOne<Lead>().WithMany().HasForeignKey(t => t.LeadId).OnDelete(DeleteBehavior.Cascade);
    }
}
