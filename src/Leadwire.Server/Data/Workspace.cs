using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Leadwire.Data;

/// <summary>
/// One client business. Pages, forms, leads and everything hanging off them belong to exactly one workspace, and
/// every query a caller makes is bounded by the workspace of its credentials.
/// </summary>
public sealed class Workspace
{
    public long Id { get; set; }
    public required string Name { get; set; }

    /// <summary>IANA time zone the workspace's people work in (reports and displayed times).</summary>
    public string TimeZone { get; set; } = "UTC";

    /// <summary>Minutes a new lead may wait for its first contact before it counts as an SLA breach.</summary>
    public int FirstContactSlaMinutes { get; set; } = 60;

    /// <summary>Leads older than this many days are erased by the retention job; null keeps them forever.</summary>
    public int? RetentionDays { get; set; }

    public AssignmentMode AssignmentMode { get; set; } = AssignmentMode.Manual;

    /// <summary>The agent who got the last round-robin lead, so the next one goes to the agent after them.</summary>
    public long? LastRoundRobinUserId { get; set; }

    /// <summary>The workspace's scoring rules (JSON); null means the defaults.</summary>
    public string? ScoringRulesJson { get; set; }

    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
}

public enum AssignmentMode
{
    /// <summary>Leads stay unassigned unless a rule or a person assigns them.</summary>
    Manual,

    /// <summary>Leads no rule matches go to the workspace's agents in turn.</summary>
    RoundRobin,
}

internal sealed class WorkspaceConfiguration : IEntityTypeConfiguration<Workspace>
{
    public void Configure(EntityTypeBuilder<Workspace> builder)
    {
        builder.ToTable("workspaces");
        builder.HasKey(w => w.Id);
        builder.Property(w => w.Name).HasMaxLength(200);
        builder.Property(w => w.TimeZone).HasMaxLength(64);
        builder.Property(w => w.AssignmentMode).HasConversion<string>().HasMaxLength(32);
    }
}
