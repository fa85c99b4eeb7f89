using Leadwire.Data;
using Microsoft.EntityFrameworkCore;

namespace Leadwire.Features.Scoring;

/// <summary>
/// Rescoring in batches, for the background work (rule changes, ageing, leads stored before scoring existed): reads
/// the scoring columns and activity of a few hundred leads in two queries and writes only the leads whose points
/// changed. Writes no timeline events: see docs/scoring.md.
/// </summary>
public static class LeadRescorer
{
    public const int BatchSize = 500;

    /// <summary>A lead's new score and its reasons as stored JSON.</summary>
    public sealed record Change(long LeadId, int Score, string ReasonsJson);

    /// <summary>New scores for the (not erased) leads among <paramref name="ids"/> whose points differ from the stored ones.</summary>
    public static async Task<List<Change>> ComputeAsync(
        LeadwireDbContext db, IReadOnlyCollection<long> ids, Func<long, ScoringRules> rulesOf, DateTime now, CancellationToken cancellationToken)
    {
        var subjects = await db.Leads.AsNoTracking()
            .Where(l => ids.Contains(l.Id) && l.ErasedAt == null)
            .Select(l => new ScoringSubject(
                l.Id, l.WorkspaceId, l.FullName, l.FirstName, l.LastName, l.Email, l.Phone, l.City,
                l.AnswersJson, l.CreatedTime, l.IsTest, l.Score, l.ScoreReasonsJson))
            .ToListAsync(cancellationToken);
        var activity = await ReadActivityAsync(db, ids, cancellationToken);

        var changes = new List<Change>();
        foreach (var subject in subjects)
        {
            var result = LeadScorer.Score(subject.Input(activity.GetValueOrDefault(subject.Id, ScoringActivity.None)), rulesOf(subject.WorkspaceId), now);
            if (subject.ScoreReasonsJson is null || result.Score != subject.Score || !ScoringJson.SamePoints(ScoringJson.ReadReasons(subject.ScoreReasonsJson), result.Reasons))
            {
                changes.Add(new Change(subject.Id, result.Score, ScoringJson.SerializeReasons(result.Reasons)));
            }
        }
        return changes;
    }

    /// <summary>Stores <paramref name="changes"/>; the caller holds the write gate and a transaction.</summary>
    public static async Task WriteAsync(LeadwireDbContext db, IReadOnlyList<Change> changes, DateTime now, CancellationToken cancellationToken)
    {
        foreach (var change in changes)
        {
            await db.Leads.Where(l => l.Id == change.LeadId).ExecuteUpdateAsync(
                s => s.SetProperty(l => l.Score, change.Score).SetProperty(l => l.ScoreReasonsJson, change.ReasonsJson).SetProperty(l => l.ScoredAt, now),
                cancellationToken);
        }
    }

    private static async Task<Dictionary<long, ScoringActivity>> ReadActivityAsync(LeadwireDbContext db, IReadOnlyCollection<long> ids, CancellationToken cancellationToken)
    {
        var rows = await db.LeadEvents.AsNoTracking()
            .Where(e => ids.Contains(e.LeadId)
                && (e.Type == LeadEventTypes.Note || e.Type == LeadEventTypes.Interaction || e.Type == LeadEventTypes.StatusChanged))
            .GroupBy(e => e.LeadId)
            .Select(g => new
            {
                LeadId = g.Key,
                Interactions = g.Count(e => e.Type == LeadEventTypes.Note || e.Type == LeadEventTypes.Interaction),
                Last = g.Max(e => e.At),
            })
            .ToListAsync(cancellationToken);
        return rows.ToDictionary(r => r.LeadId, r => new ScoringActivity(r.Interactions, r.Last));
    }
}
