using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Leadwire.Data;

/// <summary>
/// One line of a lead's timeline: a status change, an assignment, a note, an interaction, a score change, a tag,
/// a delete or restore — and later notifications, Conversions API events and messages. Append-only.
/// </summary>
public sealed class LeadEvent
{
    public long Id { get; set; }
    public long LeadId { get; set; }
    public long WorkspaceId { get; set; }

    /// <summary>See <see cref="LeadEventTypes"/>.</summary>
    public required string Type { get; set; }

    public long? ActorUserId { get; set; }

    /// <summary>How the author is shown: an email, "system", "rule: …".</summary>
    public required string Actor { get; set; }

    public DateTime At { get; set; }

    /// <summary>The event's details as JSON (from/to status and reason, note text, interaction kind and outcome…).</summary>
    public string? DataJson { get; set; }
}

public static class LeadEventTypes
{
    public const string Created = "created";
    public const string StatusChanged = "status_changed";
    public const string Assigned = "assigned";
    public const string Note = "note";
    public const string Interaction = "interaction";
    public const string ScoreChanged = "score_changed";
    public const string Tagged = "tagged";
    public const string Untagged = "untagged";
    public const string Deleted = "deleted";
    public const string Restored = "restored";
    public const string Erased = "erased";
    public const string SlaBreached = "sla_breached";
}

internal sealed class LeadEventConfiguration : IEntityTypeConfiguration<LeadEvent>
{
    public void Configure(EntityTypeBuilder<LeadEvent> builder)
    {
        builder.ToTable("lead_events");
        builder.HasKey(e => e.Id);
        builder.Property(e => e.Type).HasMaxLength(32);
        builder.Property(e => e.Actor).HasMaxLength(256);
        builder.HasIndex(e => new { e.LeadId, e.Id });
        builder.HasIndex(e => new { e.WorkspaceId, e.Type, e.At });
        builder.HasOne<Lead>().WithMany().HasForeignKey(e => e.LeadId).OnDelete(DeleteBehavior.Cascade);
    }
}
