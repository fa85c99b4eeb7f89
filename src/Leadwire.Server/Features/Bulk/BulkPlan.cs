using System.Text.Json;
using Leadwire.Data;
using Leadwire.Features.Accounts;
using Leadwire.Features.Export;
using Leadwire.Features.Leads;

namespace Leadwire.Features.Bulk;

/// <summary>What a bulk operation does to each lead.</summary>
public enum BulkAction
{
    Status,
    Assign,
    Tag,
    Untag,
    Delete,
    Restore,
    Export,
}

/// <summary>
/// A bulk operation as accepted, stored on it as JSON (<see cref="BulkOperation.RequestJson"/>): which leads, what to
/// do, and as whom. The job reads it back, so everything it needs is here, resolved (assignee "me" is a user id).
/// </summary>
public sealed record BulkPlan
{
    public required BulkAction Action { get; init; }

    /// <summary>Sorted, distinct; null when the operation is on a filter.</summary>
    public IReadOnlyList<long>? LeadIds { get; init; }

    public LeadFilter? Filter { get; init; }

    /// <summary>Filter operations cover leads up to this id: those that existed when the request was accepted.</summary>
    public long ThroughLeadId { get; init; }

    /// <summary>The requester's role then: an agent's operation only ever touches the leads assigned to them.</summary>
    public WorkspaceRole Role { get; init; }

    public LeadStatus? Status { get; init; }
    public string? Reason { get; init; }
    public long? UserId { get; init; }

    /// <summary>The assignee's email when accepted, for the timeline events.</summary>
    public string? UserEmail { get; init; }
    public string? Tag { get; init; }
    public ExportFormat? Format { get; init; }

    public static string Name(BulkAction action) => action.ToString().ToLowerInvariant();

    public string ToJson() => JsonSerializer.Serialize(this, LeadFilterJson.Options);

    public static BulkPlan Read(string json) =>
        JsonSerializer.Deserialize<BulkPlan>(json, LeadFilterJson.Options)
        ?? throw new InvalidOperationException("A bulk operation has an empty request.");

    /// <summary>The requester, as the job acts for them.</summary>
    public Caller CallerOf(BulkOperation operation)
    {
        ArgumentNullException.ThrowIfNull(operation);
        return new Caller(operation.CreatedByUserId ?? 0, operation.CreatedBy, operation.WorkspaceId, Role, null, false);
    }

    /// <summary>
    /// The leads to work through. Restore acts on deleted leads and everything else but export on live ones, whatever
    /// the filter said: a deleted lead is out of the workflow until restored. An export takes what it is given.
    /// </summary>
    public LeadSet Leads(Caller caller)
    {
        if (LeadIds is { } ids)
        {
            bool? deleted = Action switch
            {
                BulkAction.Restore => true,
                BulkAction.Export => null,
                _ => false,
            };
            return new ListedLeads(caller, ids, deleted);
        }
        var filter = Filter ?? new LeadFilter();
        filter = Action switch
        {
            BulkAction.Restore => filter with { Deleted = true },
            BulkAction.Export => filter,
            _ => filter with { Deleted = false },
        };
        return new FilteredLeads(caller, filter, ThroughLeadId);
    }
}
