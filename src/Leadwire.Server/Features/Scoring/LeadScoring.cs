using System.Text.Json;
using Leadwire.Data;
using Microsoft.EntityFrameworkCore;

namespace Leadwire.Features.Scoring;

/// <summary>
/// Keeps a lead's score current when someone works it. Call <see cref="RescoreAsync"/> after changing a tracked lead
/// (status, note, interaction) and before SaveChanges: it sets the score, its reasons and scored_at, and adds a
/// <c>score_changed</c> event when the score moved. Ageing and rule changes rescore in the background without events.
/// </summary>
public sealed class LeadScoring(ScoringRulesCache rulesCache)
{
    /// <summary>How the scorer appears on a lead's timeline.</summary>
    public const string Actor = "scoring";

    /// <summary>
    /// Rescores <paramref name="lead"/> (tracked by <paramref name="db"/>) as of <paramref name="now"/>. Counts the
    /// lead's stored notes and interactions plus those added to <paramref name="db"/> and not yet saved.
    /// </summary>
    public async Task<ScoreResult> RescoreAsync(LeadwireDbContext db, Lead lead, DateTime now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(lead);

        var rules = await rulesCache.GetAsync(db, lead.WorkspaceId, cancellationToken);
        var activity = await ReadActivityAsync(db, lead.Id, cancellationToken);
        var result = LeadScorer.Score(ScoringSubject.Of(lead).Input(activity), rules, now);

        var previous = lead.Score;
        var wasScored = lead.ScoredAt is not null;
        lead.Score = result.Score;
        lead.ScoreReasonsJson = ScoringJson.SerializeReasons(result.Reasons);
        lead.ScoredAt = now;
        if (wasScored && result.Score != previous)
        {
            db.LeadEvents.Add(new LeadEvent
            {
                LeadId = lead.Id,
                WorkspaceId = lead.WorkspaceId,
                Type = LeadEventTypes.ScoreChanged,
                Actor = Actor,
                At = now,
                DataJson = JsonSerializer.Serialize(new ScoreChange(previous, result.Score), ScoringJson.Options),
            });
        }
        return result;
    }

    private sealed record ScoreChange(int From, int To);

    /// <summary>One lead's activity: stored events plus events of this lead added to the context and not saved yet.</summary>
    private static async Task<ScoringActivity> ReadActivityAsync(LeadwireDbContext db, long leadId, CancellationToken cancellationToken)
    {
        var stored = await db.LeadEvents.AsNoTracking()
            .Where(e => e.LeadId == leadId
                && (e.Type == LeadEventTypes.Note || e.Type == LeadEventTypes.Interaction || e.Type == LeadEventTypes.StatusChanged))
            .Select(e => new { e.Type, e.At })
            .ToListAsync(cancellationToken);
        var pending = db.ChangeTracker.Entries<LeadEvent>()
            .Where(x => x.State == EntityState.Added && x.Entity.LeadId == leadId && ScoringActivity.Counts(x.Entity.Type) is not null)
            .Select(x => new { x.Entity.Type, x.Entity.At });

        var activity = ScoringActivity.None;
        foreach (var e in stored.Concat(pending))
        {
            activity = activity.With(e.Type, e.At);
        }
        return activity;
    }
}

/// <summary>What people did with a lead, as scoring sees it.</summary>
public sealed record ScoringActivity(int InteractionCount, DateTime? LastActivityAt)
{
    public static ScoringActivity None { get; } = new(0, null);

    /// <summary>
    /// Whether an event of <paramref name="type"/> is activity and, if so, whether it counts as an interaction:
    /// notes and interactions count and are activity; a status change is activity only; anything else is neither.
    /// </summary>
    public static bool? Counts(string type) => type switch
    {
        LeadEventTypes.Note or LeadEventTypes.Interaction => true,
        LeadEventTypes.StatusChanged => false,
        _ => null,
    };

    public ScoringActivity With(string type, DateTime at) => Counts(type) switch
    {
        true => new(InteractionCount + 1, Later(at)),
        false => this with { LastActivityAt = Later(at) },
        null => this,
    };

    private DateTime Later(DateTime at) => LastActivityAt is { } last && last > at ? last : at;
}

/// <summary>The columns of a lead that scoring reads; a projection, so batches need not load whole rows.</summary>
public sealed record ScoringSubject(
    long Id, long WorkspaceId, string? FullName, string? FirstName, string? LastName, string? Email, string? Phone, string? City,
    string AnswersJson, DateTime CreatedTime, bool IsTest, int Score, string? ScoreReasonsJson)
{
    public static ScoringSubject Of(Lead lead) => new(
        lead.Id, lead.WorkspaceId, lead.FullName, lead.FirstName, lead.LastName, lead.Email, lead.Phone, lead.City,
        lead.AnswersJson, lead.CreatedTime, lead.IsTest, lead.Score, lead.ScoreReasonsJson);

    public ScoringInput Input(ScoringActivity activity) => new()
    {
        FullName = FullName,
        FirstName = FirstName,
        LastName = LastName,
        Email = Email,
        Phone = Phone,
        City = City,
        Answers = ReadAnswers(AnswersJson),
        CreatedTime = CreatedTime,
        LastActivityAt = activity.LastActivityAt,
        InteractionCount = activity.InteractionCount,
        IsTest = IsTest,
    };

    private static Dictionary<string, string> ReadAnswers(string json)
    {
        try
        {
            return JsonSerializer.Deserialize<Dictionary<string, string>>(json) ?? [];
        }
        catch (JsonException)
        {
            // An erased lead's answers are gone; a lead whose answers cannot be read earns no interest points.
            return [];
        }
    }
}
