namespace Leadwire.Features.Scoring;

/// <summary>A lead's score and the reasons that add up to it.</summary>
public sealed record ScoreResult(int Score, IReadOnlyList<ScoreReason> Reasons);

/// <summary>The points one factor earned out of its weight, and why, in a sentence for people.</summary>
public sealed record ScoreReason(string Factor, int Points, int MaxPoints, string Explanation);

/// <summary>The factor names a <see cref="ScoreReason"/> carries; stable, so the UI and stored reasons can rely on them.</summary>
public static class ScoreFactors
{
    public const string ContactCompleteness = "contact_completeness";
    public const string Freshness = "freshness";
    public const string Interest = "interest";
    public const string Engagement = "engagement";
    public const string Recency = "recency";

    /// <summary>Not a factor: a zero-point note that the lead came from Meta's testing tool.</summary>
    public const string TestLead = "test_lead";
}
