using Leadwire.Data;
using Leadwire.Features.Accounts;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Leadwire.Features.Scoring;

/// <summary>How many live leads score in each band of ten points (the last band is 90–100).</summary>
public sealed record ScoreBand(int From, int To, int Count);

public sealed record ScoreDistributionDto(int Total, double? Average, IReadOnlyList<ScoreBand> Bands);

/// <summary>
/// <c>GET /api/v1/scoring/distribution</c>: the score distribution of the caller's live leads (not deleted, not
/// erased; agents: their own), behind the dashboard's scoring chart. One grouped count over the score index.
/// </summary>
public static class ScoreDistribution
{
    public const int BandWidth = 10;

    public static RouteGroupBuilder MapScoreDistribution(this RouteGroupBuilder group)
    {
        ArgumentNullException.ThrowIfNull(group);
        group.MapGet("/distribution", GetAsync).RequireRole(WorkspaceRole.Agent)
            .WithSummary("How many live leads score in each band of ten points, with the total and the average");
        return group;
    }

    internal static async Task<Ok<ScoreDistributionDto>> GetAsync(Caller caller, LeadwireDbContext db, CancellationToken cancellationToken) =>
        TypedResults.Ok(await ReadAsync(caller, db, cancellationToken));

    public static async Task<ScoreDistributionDto> ReadAsync(Caller caller, LeadwireDbContext db, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var counts = await db.Leads.AsNoTracking().VisibleTo(caller)
            .Where(l => l.DeletedAt == null && l.ErasedAt == null)
            .GroupBy(l => l.Score)
            .Select(g => new { Score = g.Key, Count = g.Count() })
            .ToListAsync(cancellationToken);
        var bands = Enumerable.Range(0, ScoringRules.TotalPoints / BandWidth)
            .Select(i => new ScoreBand(i * BandWidth, i == (ScoringRules.TotalPoints / BandWidth) - 1 ? ScoringRules.TotalPoints : (i * BandWidth) + BandWidth - 1,
                counts.Where(c => Band(c.Score) == i).Sum(c => c.Count)))
            .ToList();
        var total = counts.Sum(c => c.Count);
        double? average = total == 0 ? null : Math.Round(counts.Sum(c => (double)c.Score * c.Count) / total, 1);
        return new ScoreDistributionDto(total, average, bands);
    }

    private static int Band(int score) => Math.Clamp(score, 0, ScoringRules.TotalPoints - 1) / BandWidth;
}
