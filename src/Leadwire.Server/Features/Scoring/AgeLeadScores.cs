using Leadwire.Data;
using Leadwire.Features.Jobs;
using Leadwire.Features.Leads;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Leadwire.Features.Scoring;

/// <summary>
/// Scores fade as leads age (freshness) and as their last activity recedes (recency). Scheduled hourly, this
/// rescores only the leads whose points can still move: those young enough to have freshness points left and those
/// with activity inside the recency window (each with a margin of two runs, so the last step to zero is not missed).
/// Older, untouched leads keep their score; it cannot change with time any more.
/// </summary>
public sealed class AgeLeadScores(ScoringRulesCache rulesCache, IOptionsMonitor<LeadIntakeOptions> options) : IJobHandler
{
    public const string Kind = "scoring.age";

    public sealed record Payload;

    string IJobHandler.Kind => Kind;

    public async Task HandleAsync(JobContext context, CancellationToken cancellationToken)
    {
        var db = context.Db;
        var margin = 2 * options.CurrentValue.AgeingInterval;
        var workspaceIds = await db.Workspaces.AsNoTracking().OrderBy(w => w.Id).Select(w => w.Id).ToListAsync(cancellationToken);
        foreach (var workspaceId in workspaceIds)
        {
            var rules = await rulesCache.GetAsync(db, workspaceId, cancellationToken);
            var now = context.Time.GetUtcNow().UtcDateTime;
            var createdSince = now - FreshnessHorizon(rules) - margin;
            var activeSince = now - TimeSpan.FromDays(rules.RecencyWindowDays) - margin;

            var young = await db.Leads.AsNoTracking()
                .Where(l => l.WorkspaceId == workspaceId && l.CreatedTime >= createdSince && l.ErasedAt == null && l.DeletedAt == null)
                .Select(l => l.Id).ToListAsync(cancellationToken);
            var active = await db.LeadEvents.AsNoTracking()
                .Where(e => e.WorkspaceId == workspaceId && e.At >= activeSince
                    && (e.Type == LeadEventTypes.Note || e.Type == LeadEventTypes.Interaction || e.Type == LeadEventTypes.StatusChanged))
                .Select(e => e.LeadId).Distinct().ToListAsync(cancellationToken);

            foreach (var chunk in young.Union(active).Order().Chunk(LeadRescorer.BatchSize))
            {
                now = context.Time.GetUtcNow().UtcDateTime;
                var changes = await LeadRescorer.ComputeAsync(db, chunk, _ => rules, now, cancellationToken);
                if (changes.Count > 0)
                {
                    await db.InWriteTransactionAsync(context.Gate, () => LeadRescorer.WriteAsync(db, changes, now, cancellationToken), cancellationToken);
                }
            }
        }
    }

    /// <summary>
    /// How long after creation a lead still has a freshness point: weight × ½^(hours / half-life) rounds to at least
    /// one point while hours ≤ half-life × log2(2 × weight).
    /// </summary>
    public static TimeSpan FreshnessHorizon(ScoringRules rules)
    {
        ArgumentNullException.ThrowIfNull(rules);
        if (rules.FreshnessWeight <= 0)
        {
            return TimeSpan.Zero;
        }
        var hours = rules.FreshnessHalfLifeHours * Math.Log2(2.0 * rules.FreshnessWeight);
        return TimeSpan.FromHours(Math.Min(hours, TimeSpan.FromDays(3650).TotalHours));
    }
}
