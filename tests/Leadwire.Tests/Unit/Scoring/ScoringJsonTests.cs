using Leadwire.Features.Scoring;

namespace Leadwire.Tests.Unit.Scoring;

public sealed class ScoringJsonTests
{
    [Fact]
    public void Rules_RoundTrip_SnakeCaseAndEqualValues()
    {
        var rules = ScoringRules.Default with { ContactCompletenessWeight = 40, RecencyWeight = 0, InterestKeywords = ["suv", "4x4"] };

        var json = ScoringJson.SerializeRules(rules);
        var read = ScoringJson.TryParseRules(json);

        Assert.Contains("\"contact_completeness_weight\":40", json, StringComparison.Ordinal);
        Assert.NotNull(read);
        Assert.Equal(40, read.ContactCompletenessWeight);
        Assert.Equal(["suv", "4x4"], read.InterestKeywords);
    }

    [Fact]
    public void TryParseRules_NullMeansDefaults_UnreadableOrInvalidMeansNull()
    {
        Assert.Same(ScoringRules.Default, ScoringJson.TryParseRules(null));
        Assert.Null(ScoringJson.TryParseRules("{not json"));
        Assert.Null(ScoringJson.TryParseRules("""{"freshness_weight": 90}"""));
        Assert.NotNull(ScoringJson.TryParseRules("{}"));
    }

    [Fact]
    public void Reasons_StoredAsSnakeCaseArray_ReadBack()
    {
        ScoreReason[] reasons = [new(ScoreFactors.Freshness, 10, 20, "Created 1 h ago.")];

        var json = ScoringJson.SerializeReasons(reasons);

        Assert.Equal("""[{"factor":"freshness","points":10,"max_points":20,"explanation":"Created 1 h ago."}]""", json);
        Assert.Equal(reasons, ScoringJson.ReadReasons(json));
        Assert.Empty(ScoringJson.ReadReasons(null));
        Assert.Empty(ScoringJson.ReadReasons("[oops"));
    }

    [Fact]
    public void SamePoints_OnlyExplanationsDiffer_True_PointsOrMaximumDiffer_False()
    {
        ScoreReason[] stored = [new("freshness", 10, 20, "Created 1 h ago.")];

        Assert.True(ScoringJson.SamePoints(stored, [new("freshness", 10, 20, "Created 2 h ago.")]));
        Assert.False(ScoringJson.SamePoints(stored, [new("freshness", 9, 20, "Created 30 h ago.")]));
        Assert.False(ScoringJson.SamePoints(stored, [new("freshness", 10, 30, "Created 1 h ago.")]));
        Assert.False(ScoringJson.SamePoints(stored, []));
    }

    [Fact]
    public void FreshnessHorizon_DefaultRules_AboutFiveDaysAfterWhichNoPointIsLeft()
    {
        var horizon = AgeLeadScores.FreshnessHorizon(ScoringRules.Default);
        var created = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);

        Assert.InRange(horizon.TotalHours, 127, 128);
        Assert.Equal(1, Freshness(created, created + horizon - TimeSpan.FromMinutes(1)));
        Assert.Equal(0, Freshness(created, created + horizon + TimeSpan.FromMinutes(1)));
        Assert.Equal(TimeSpan.Zero, AgeLeadScores.FreshnessHorizon(ScoringRules.Default with { FreshnessWeight = 0, ContactCompletenessWeight = 50 }));
    }

    private static int Freshness(DateTime created, DateTime now) =>
        LeadScorer.Score(new ScoringInput { CreatedTime = created }, ScoringRules.Default, now).Reasons.Single(r => r.Factor == ScoreFactors.Freshness).Points;
}
