using System.Globalization;
using Leadwire.Data;
using Leadwire.Features.Accounts;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Leadwire.Features.Scoring;

/// <summary>One lead worth acting on, and why.</summary>
public sealed record RecommendedLead(long LeadId, string? Name, int Score, string Status, DateTime CreatedTime, long? AssigneeUserId, string Why);

/// <summary>
/// What to do next (PRODUCT.md D2): high-score leads nobody has, new leads past the first-contact SLA, and
/// low-score leads someone is spending time on. Each list is short; all respect what the caller may see.
/// </summary>
public sealed record Recommendations(
    int FirstContactSlaMinutes,
    IReadOnlyList<RecommendedLead> HighScoreUnassigned,
    IReadOnlyList<RecommendedLead> SlaBreaches,
    IReadOnlyList<RecommendedLead> LowScoreInProgress);

public static class RecommendationsApi
{
    public const int HighScore = 70;
    public const int LowScore = 30;
    public const int ListLimit = 20;

    public static IEndpointRouteBuilder MapRecommendationsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/recommendations", GetAsync).RequireRole(WorkspaceRole.Agent).WithTags("Scoring")
            .WithSummary("High-score unassigned leads, leads past the first-contact SLA, low-score leads being worked");
        return app;
    }

    private sealed record Row(long Id, string? FullName, int Score, LeadStatus Status, DateTime CreatedTime, long? AssigneeUserId, string? ScoreReasonsJson);

    internal static async Task<Ok<Recommendations>> GetAsync(Caller caller, LeadwireDbContext db, TimeProvider time, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var slaMinutes = await db.Workspaces.AsNoTracking().Where(w => w.Id == caller.WorkspaceId)
            .Select(w => w.FirstContactSlaMinutes).SingleOrDefaultAsync(cancellationToken);
        var cutoff = now.AddMinutes(-slaMinutes);
        var live = db.Leads.AsNoTracking().VisibleTo(caller).Where(l => l.DeletedAt == null && l.ErasedAt == null);

        // Each order follows an index: (workspace, score, id) for the score lists, (workspace, status, created_time, id)
        // for the SLA list, so the first twenty matches end the scan.
        var high = await Rows(live
            .Where(l => l.Score >= HighScore && l.AssigneeUserId == null && l.Status == LeadStatus.New)
            .OrderByDescending(l => l.Score).ThenByDescending(l => l.Id), cancellationToken);
        var late = await Rows(live
            .Where(l => l.Status == LeadStatus.New && !l.IsTest && l.CreatedTime < cutoff)
            .OrderByDescending(l => l.CreatedTime).ThenByDescending(l => l.Id), cancellationToken);
        var low = await Rows(live
            .Where(l => l.Score < LowScore && (l.Status == LeadStatus.Contacted || l.Status == LeadStatus.Qualified))
            .OrderBy(l => l.Score).ThenByDescending(l => l.Id), cancellationToken);

        return TypedResults.Ok(new Recommendations(
            slaMinutes,
            high.Select(r => Item(r, $"Score {r.Score} and nobody assigned; new for {Age(now - r.CreatedTime)}.")).ToList(),
            late.Select(r => Item(r, $"New for {Age(now - r.CreatedTime)} without a first contact; the SLA is {slaMinutes} min.")).ToList(),
            low.Select(r => Item(r, $"Score {r.Score} while {StatusName(r.Status)}; weakest: {Weakest(r.ScoreReasonsJson)}.")).ToList()));
    }

    private static Task<List<Row>> Rows(IQueryable<Lead> query, CancellationToken cancellationToken) =>
        query.Take(ListLimit)
            .Select(l => new Row(l.Id, l.FullName, l.Score, l.Status, l.CreatedTime, l.AssigneeUserId, l.ScoreReasonsJson))
            .ToListAsync(cancellationToken);

    private static RecommendedLead Item(Row row, string why) =>
        new(row.Id, row.FullName, row.Score, StatusName(row.Status), row.CreatedTime, row.AssigneeUserId, why);

    private static string StatusName(LeadStatus status) => status.ToString().ToLowerInvariant();

    /// <summary>The two factors furthest from their maximum, e.g. "engagement 0/15, interest 0/25".</summary>
    private static string Weakest(string? reasonsJson)
    {
        var weakest = ScoringJson.ReadReasons(reasonsJson)
            .Where(r => r.MaxPoints > 0)
            .OrderByDescending(r => r.MaxPoints - r.Points).ThenBy(r => r.Factor, StringComparer.Ordinal)
            .Take(2)
            .Select(r => $"{r.Factor} {r.Points}/{r.MaxPoints}")
            .ToList();
        return weakest.Count == 0 ? "not scored yet" : string.Join(", ", weakest);
    }

    private static string Age(TimeSpan age) => age switch
    {
        { TotalMinutes: < 1 } => "under a minute",
        { TotalHours: < 1 } => $"{(int)age.TotalMinutes} min",
        { TotalHours: < 48 } => age.Minutes == 0
            ? $"{(int)age.TotalHours} h"
            : string.Create(CultureInfo.InvariantCulture, $"{(int)age.TotalHours} h {age.Minutes} min"),
        _ => $"{(int)age.TotalDays} days",
    };
}
