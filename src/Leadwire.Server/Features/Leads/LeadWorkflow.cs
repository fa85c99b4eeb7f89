using Leadwire.Data;

namespace Leadwire.Features.Leads;

/// <summary>
/// The status workflow (PRODUCT.md C3), pure: which moves a role may make and what a move stamps on the lead.
/// <list type="bullet">
/// <item>Forward along new → contacted → qualified → converted, skipping steps allowed (a lead who buys on the first
/// call goes straight from new to converted; a bulk change to "qualified" works on new and contacted leads alike).
/// Never backwards: a mistaken move is corrected by reopening.</item>
/// <item>Disqualified or archived from any open state (new, contacted, qualified), with a reason.</item>
/// <item>Archived is a parking place, not a verdict: whoever may work the lead can reopen it to new.</item>
/// <item>Converted and disqualified are verdicts that reports count: only admins and owners reopen them (to new).</item>
/// </list>
/// </summary>
public static class LeadWorkflow
{
    private static readonly LeadStatus[] Nothing = [];

    private static readonly LeadStatus[] Reopen = [LeadStatus.New];

    private static readonly Dictionary<LeadStatus, LeadStatus[]> Forward = new()
    {
        [LeadStatus.New] = [LeadStatus.Contacted, LeadStatus.Qualified, LeadStatus.Converted, LeadStatus.Disqualified, LeadStatus.Archived],
        [LeadStatus.Contacted] = [LeadStatus.Qualified, LeadStatus.Converted, LeadStatus.Disqualified, LeadStatus.Archived],
        [LeadStatus.Qualified] = [LeadStatus.Converted, LeadStatus.Disqualified, LeadStatus.Archived],
    };

    private static readonly Dictionary<string, LeadStatus> ByName =
        Enum.GetValues<LeadStatus>().ToDictionary(Name, StringComparer.OrdinalIgnoreCase);

    /// <summary>The status as the API spells it ("new", "contacted"…).</summary>
    public static string Name(LeadStatus status) => status.ToString().ToLowerInvariant();

    public static bool TryParse(string? name, out LeadStatus status)
    {
        status = default;
        return name is not null && ByName.TryGetValue(name.Trim(), out status);
    }

    public static IReadOnlyCollection<string> Names => ByName.Keys;

    /// <summary>Converted and disqualified: closed until an admin reopens them.</summary>
    public static bool IsFinal(LeadStatus status) => status is LeadStatus.Converted or LeadStatus.Disqualified;

    /// <summary>Disqualifying or archiving says why, so the next person (and reports) know.</summary>
    public static bool NeedsReason(LeadStatus to) => to is LeadStatus.Disqualified or LeadStatus.Archived;

    /// <summary>The statuses <paramref name="role"/> may move a lead to from <paramref name="from"/>.</summary>
    public static IReadOnlyList<LeadStatus> AllowedFrom(LeadStatus from, WorkspaceRole role) => from switch
    {
        LeadStatus.Archived => Reopen,
        _ when IsFinal(from) => role >= WorkspaceRole.Admin ? Reopen : Nothing,
        _ => Forward.GetValueOrDefault(from, Nothing),
    };

    public static bool CanMove(LeadStatus from, LeadStatus to, WorkspaceRole role) => AllowedFrom(from, role).Contains(to);

    /// <summary>
    /// Why a move is refused, in a sentence for people; null when <see cref="CanMove"/> allows it.
    /// </summary>
    public static string? Refusal(LeadStatus from, LeadStatus to, WorkspaceRole role)
    {
        if (CanMove(from, to, role))
        {
            return null;
        }
        var allowed = AllowedFrom(from, role);
        var options = allowed.Count == 0 ? "none" : string.Join(", ", allowed.Select(Name));
        var why = from == to
            ? $"The lead is already {Name(from)}."
            : IsFinal(from) && role < WorkspaceRole.Admin
                ? $"A {Name(from)} lead is closed; only an admin or owner can reopen it."
                : $"A {Name(from)} lead cannot move to {Name(to)}.";
        return $"{why} Allowed from {Name(from)}: {options}.";
    }

    /// <summary>
    /// Moves the lead (the move must be allowed) and stamps the times: <c>contacted_at</c> on the first move into
    /// contacted, qualified or converted and never again (speed to lead is measured to it, so disqualifying or
    /// archiving an untouched lead does not count as contact, and reopening does not reset it);
    /// <c>qualified_at</c> and <c>converted_at</c> on each move into those states (so the latest one).
    /// </summary>
    public static void Move(Lead lead, LeadStatus to, string? reason, DateTime now)
    {
        ArgumentNullException.ThrowIfNull(lead);

        lead.Status = to;
        lead.StatusReason = reason;
        lead.StatusChangedAt = now;
        if (to is LeadStatus.Contacted or LeadStatus.Qualified or LeadStatus.Converted)
        {
            lead.ContactedAt ??= now;
        }
        if (to == LeadStatus.Qualified)
        {
            lead.QualifiedAt = now;
        }
        if (to == LeadStatus.Converted)
        {
            lead.ConvertedAt = now;
        }
    }
}
