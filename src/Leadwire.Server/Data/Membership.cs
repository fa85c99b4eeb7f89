using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Leadwire.Data;

/// <summary>A user's role in one workspace. No membership, no access: the workspace does not exist for them.</summary>
public sealed class Membership
{
    public long WorkspaceId { get; set; }
    public long UserId { get; set; }
    public WorkspaceRole Role { get; set; }
    public DateTime CreatedAt { get; set; }
}

/// <summary>Ordered by power: a check for "at least admin" is <c>role &gt;= WorkspaceRole.Admin</c>.</summary>
public enum WorkspaceRole
{
    /// <summary>Works the leads assigned to them; no export, no bulk delete, no settings.</summary>
    Agent = 1,

    /// <summary>Everything but managing users.</summary>
    Admin = 2,

    /// <summary>Everything, including users and workspace settings.</summary>
    Owner = 3,
}

internal sealed class MembershipConfiguration : IEntityTypeConfiguration<Membership>
{
    public void Configure(EntityTypeBuilder<Membership> builder)
    {
        builder.ToTable("memberships");
        builder.HasKey(m => new { m.WorkspaceId, m.UserId });
        builder.HasIndex(m => m.UserId);
        builder.Property(m => m.Role).HasConversion<string>().HasMaxLength(16);
        builder.HasOne<Workspace>().WithMany().HasForeignKey(m => m.WorkspaceId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<UserAccount>().WithMany().HasForeignKey(m => m.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}
