using System.Text.Json;
using Leadwire.Data;
using Leadwire.Features.Scoring;
using Microsoft.EntityFrameworkCore;

namespace Leadwire.Features.Assignment;

/// <summary>
/// Automatic assignment of new leads (PRODUCT.md C4): the first of the workspace's rules (by position) whose every
/// set condition matches picks the agent; with no match, a workspace in round-robin mode gives the lead to the agent
/// after the last one served (agents ordered by user id, wrapping around). Rules whose assignee has left the
/// workspace are skipped. Each assignment is conditional on the lead still having no assignee, so a person who
/// assigned it a moment earlier wins, and writes an <c>assigned</c> event naming the rule or "round-robin".
/// </summary>
public static class AutoAssigner
{
    public const string RoundRobinActor = "round-robin";

    public static string RuleActor(long ruleId) => $"rule #{ruleId}";

    /// <summary>What rules look at on a lead.</summary>
    public sealed record Subject(long LeadId, long WorkspaceId, long PageId, long? FormId, string? CampaignId);

    /// <summary>The details of an <c>assigned</c> event: the manual assignment's shape, plus the rule that decided.</summary>
    public sealed record AssignedData(long? From, long To, string? ToEmail, long? RuleId);

    /// <summary>One lead given to someone.</summary>
    public sealed record Assignment(long LeadId, long WorkspaceId, long AssigneeUserId);

    /// <summary>Assigns what the rules and modes say among <paramref name="subjects"/>; returns the assignments made.</summary>
    public static async Task<List<Assignment>> AssignAsync(LeadwireDbContext db, IReadOnlyList<Subject> subjects, DateTime now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(subjects);
        var assigned = new List<Assignment>();
        foreach (var workspace in subjects.GroupBy(s => s.WorkspaceId))
        {
            await AssignInWorkspaceAsync(db, workspace.Key, workspace.OrderBy(s => s.LeadId).ToList(), now, assigned, cancellationToken);
        }
        return assigned;
    }

    public static bool Matches(AssignmentRule rule, Subject lead)
    {
        ArgumentNullException.ThrowIfNull(rule);
        ArgumentNullException.ThrowIfNull(lead);
        return (rule.PageId is null || rule.PageId == lead.PageId)
            && (rule.FormId is null || rule.FormId == lead.FormId)
            && (rule.CampaignId is null || string.Equals(rule.CampaignId, lead.CampaignId, StringComparison.Ordinal));
    }

    /// <summary>The agent after <paramref name="last"/> in <paramref name="agents"/> (ascending), wrapping around.</summary>
    public static long NextAgent(IReadOnlyList<long> agents, long? last)
    {
        ArgumentNullException.ThrowIfNull(agents);
        foreach (var agent in agents)
        {
            if (last is null || agent > last)
            {
                return agent;
            }
        }
        return agents[0];
    }

    private static async Task AssignInWorkspaceAsync(
        LeadwireDbContext db, long workspaceId, List<Subject> leads, DateTime now, List<Assignment> assigned, CancellationToken cancellationToken)
    {
        var workspace = await db.Workspaces.AsNoTracking().Where(w => w.Id == workspaceId)
            .Select(w => new { w.AssignmentMode, w.LastRoundRobinUserId }).SingleOrDefaultAsync(cancellationToken);
        if (workspace is null)
        {
            return;
        }
        var members = await db.Memberships.AsNoTracking().Where(m => m.WorkspaceId == workspaceId)
            .Join(db.Users, m => m.UserId, u => u.Id, (m, u) => new { m.UserId, m.Role, u.Email })
            .ToListAsync(cancellationToken);
        var memberIds = members.Select(m => m.UserId).ToHashSet();
        var emails = members.ToDictionary(m => m.UserId, m => m.Email);
        var rules = (await db.AssignmentRules.AsNoTracking().Where(r => r.WorkspaceId == workspaceId)
                .OrderBy(r => r.Position).ThenBy(r => r.Id).ToListAsync(cancellationToken))
            .Where(r => memberIds.Contains(r.AssigneeUserId)).ToList();
        var agents = members.Where(m => m.Role == WorkspaceRole.Agent).Select(m => m.UserId).Order().ToList();
        var roundRobin = workspace.AssignmentMode == AssignmentMode.RoundRobin && agents.Count > 0;
        if (rules.Count == 0 && !roundRobin)
        {
            return;
        }

        var last = workspace.LastRoundRobinUserId;
        var turnTaken = false;
        foreach (var lead in leads)
        {
            var rule = rules.FirstOrDefault(r => Matches(r, lead));
            if (rule is null && !roundRobin)
            {
                continue;
            }
            var assignee = rule?.AssigneeUserId ?? NextAgent(agents, last);
            var updated = await db.Leads.Where(l => l.Id == lead.LeadId && l.AssigneeUserId == null).ExecuteUpdateAsync(s => s
                .SetProperty(l => l.AssigneeUserId, assignee)
                .SetProperty(l => l.AssignedAt, now)
                .SetProperty(l => l.UpdatedAt, now), cancellationToken);
            if (updated == 0)
            {
                continue;
            }
            if (rule is null)
            {
                last = assignee;
                turnTaken = true;
            }
            db.LeadEvents.Add(new LeadEvent
            {
                LeadId = lead.LeadId,
                WorkspaceId = workspaceId,
                Type = LeadEventTypes.Assigned,
                Actor = rule is null ? RoundRobinActor : RuleActor(rule.Id),
                At = now,
                DataJson = JsonSerializer.Serialize(new AssignedData(null, assignee, emails[assignee], rule?.Id), ScoringJson.Options),
            });
            assigned.Add(new Assignment(lead.LeadId, workspaceId, assignee));
        }

        if (turnTaken)
        {
            await db.Workspaces.Where(w => w.Id == workspaceId)
                .ExecuteUpdateAsync(s => s.SetProperty(w => w.LastRoundRobinUserId, last), cancellationToken);
        }
    }
}
