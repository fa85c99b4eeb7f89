namespace Leadwire.Features.Live;

/// <summary>
/// Something a dashboard or an API client watching <c>GET /api/v1/events</c> should see at once. It says what
/// changed, not the new state: a client reads the lead (with its own rights) when it cares.
/// <see cref="AssigneeUserId"/> is the lead's assignee after the change, which decides which agents see it.
/// </summary>
public sealed record LiveEvent(string Type, long WorkspaceId, long? LeadId, long? AssigneeUserId, DateTime At);

public static class LiveEventTypes
{
    public const string LeadCreated = "lead.created";
    public const string LeadUpdated = "lead.updated";
    public const string LeadAssigned = "lead.assigned";

    /// <summary>The workspace's counts moved (sent at most about once a second per workspace, after lead events).</summary>
    public const string StatsChanged = "stats.changed";
}
