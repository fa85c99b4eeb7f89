using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Leadwire.Data;

/// <summary>Who did what, when: sign-ins, role changes, token creation, exports, deletes and erasures.</summary>
public sealed class AuditEntry
{
    public long Id { get; set; }

    /// <summary>Null for events outside any workspace (a failed sign-in).</summary>
    public long? WorkspaceId { get; set; }

    public long? ActorUserId { get; set; }

    /// <summary>How the actor is shown: an email, "bootstrap token", "system".</summary>
    public required string Actor { get; set; }

    /// <summary>Dotted verb, e.g. <c>user.signed_in</c>, <c>member.role_changed</c>, <c>lead.erased</c>.</summary>
    public required string Action { get; set; }

    public string? TargetType { get; set; }
    public string? TargetId { get; set; }

    /// <summary>JSON with what else matters (old and new role, export filter, counts); never personal lead data.</summary>
    public string? Details { get; set; }

    public string? IpAddress { get; set; }
    public DateTime At { get; set; }
}

internal sealed class AuditEntryConfiguration : IEntityTypeConfiguration<AuditEntry>
{
    public void Configure(EntityTypeBuilder<AuditEntry> builder)
    {
        builder.ToTable("audit_log");
        builder.HasKey(a => a.Id);
        builder.Property(a => a.Actor).HasMaxLength(256);
        builder.Property(a => a.Action).HasMaxLength(64);
        builder.Property(a => a.TargetType).HasMaxLength(64);
        builder.Property(a => a.TargetId).HasMaxLength(64);
        builder.Property(a => a.IpAddress).HasMaxLength(64);
        builder.HasIndex(a => new { a.WorkspaceId, a.Id });
    }
}
