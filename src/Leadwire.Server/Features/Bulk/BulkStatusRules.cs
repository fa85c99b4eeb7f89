using Leadwire.Data;
using Leadwire.Features.Leads;

namespace Leadwire.Features.Bulk;

/// <summary>
/// <see cref="LeadWorkflow"/> turned around for set-based work: which current statuses may move to a target, so one
/// UPDATE … WHERE status IN (…) applies the workflow to a whole chunk. A lead whose status does not allow the move
/// is counted as failed with the workflow's reason; a lead already in the target status is left as it is.
/// </summary>
public static class BulkStatusRules
{
    /// <summary>The statuses from which <paramref name="role"/> may move a lead to <paramref name="target"/>.</summary>
    public static IReadOnlyList<LeadStatus> SourcesOf(LeadStatus target, WorkspaceRole role) =>
        [.. Enum.GetValues<LeadStatus>().Where(from => from != target && LeadWorkflow.CanMove(from, target, role))];

    /// <summary>Why a lead cannot move, for the operation's sample of failures.</summary>
    public static string Refusal(long leadId, LeadStatus from, LeadStatus to, WorkspaceRole role) =>
        $"lead {leadId}: {LeadWorkflow.Refusal(from, to, role) ?? "not allowed."}";
}
