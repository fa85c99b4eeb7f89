using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Leadwire.Data;

/// <summary>
/// "Leads from this page / form / campaign go to this agent." Rules are tried in <see cref="Position"/> order and
/// the first whose every set condition matches wins; no match falls back to the workspace's assignment mode.
/// </summary>
public sealed class AssignmentRule
{
    public long Id { get; set; }
    public long WorkspaceId { get; set; }
    public int Position { get; set; }
    public long? PageId { get; set; }
    public long? FormId { get; set; }
    public string? CampaignId { get; set; }
    public long AssigneeUserId { get; set; }
    public DateTime CreatedAt { get; set; }
}

internal sealed class AssignmentRuleConfiguration : IEntityTypeConfiguration<AssignmentRule>
{
    public void Configure(EntityTypeBuilder<AssignmentRule> builder)
    {
        builder.ToTable("assignment_rules");
        builder.HasKey(r => r.Id);
        builder.Property(r => r.CampaignId).HasMaxLength(64);
        builder.HasIndex(r => new { r.WorkspaceId, r.Position });
        builder.HasOne<Workspace>().WithMany().HasForeignKey(r => r.WorkspaceId).OnDelete(DeleteBehavior.Cascade);
    }
}
