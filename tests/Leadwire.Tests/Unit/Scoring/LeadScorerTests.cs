using System.Text.Json;
using Leadwire.Features.Scoring;

namespace Leadwire.Tests.Unit.Scoring;

public sealed class LeadScorerTests
{
    private static readonly DateTime Now = new(2026, 11, 1, 12, 0, 0, DateTimeKind.Utc);

    private static readonly JsonSerializerOptions SnakeCase = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    [Fact]
    public void Score_CompleteFreshInterestedEngagedLead_FullMarksAndReasonsSumToScore()
    {
        var input = Lead() with
        {
            FullName = "Jane Doe",
            Email = "jane@example.com",
            Phone = "+15555550100",
            Answers = Answers(("full_name", "Jane Doe"), ("email", "jane@example.com"), ("which_model", "SUV")),
            LastActivityAt = Now.AddHours(-1),
            InteractionCount = 3,
        };

        var result = LeadScorer.Score(input, ScoringRules.Default, Now);

        Assert.Equal(100, result.Score);
        Assert.Equal(result.Score, result.Reasons.Sum(r => r.Points));
        Assert.Equal(
            [
                new ScoreReason("contact_completeness", 30, 30, "Has name, email and phone."),
                new ScoreReason("freshness", 20, 20, "Created just now; freshness halves every 24 h."),
                new ScoreReason("interest", 25, 25, "Answered which_model."),
                new ScoreReason("engagement", 15, 15, "3 interactions or notes; full points at 3."),
                new ScoreReason("recency", 10, 10, "Last activity 1 h ago; full points within a day."),
            ],
            result.Reasons);
    }

    [Fact]
    public void Score_TypicalLead_ReasonsSumToScore()
    {
        var input = Lead(createdHoursAgo: 12) with
        {
            Email = "jane@example.com",
            Phone = "+15555550100",
            Answers = Answers(("budget", "20k"), ("which_model", "SUV")),
            LastActivityAt = Now.AddDays(-4),
            InteractionCount = 1,
        };

        var result = LeadScorer.Score(input, ScoringRules.Default, Now);

        // 20 completeness + 14 freshness + 25 interest + 5 engagement + 5 recency.
        Assert.Equal(69, result.Score);
        Assert.Equal(result.Score, result.Reasons.Sum(r => r.Points));
        Assert.All(result.Reasons, r => Assert.InRange(r.Points, 0, r.MaxPoints));
    }

    [Fact]
    public void Score_EmptyOldLead_ZeroWithAReasonForEachFactor()
    {
        var result = LeadScorer.Score(Lead(createdHoursAgo: 30 * 24), ScoringRules.Default, Now);

        Assert.Equal(0, result.Score);
        Assert.Equal(
            [
                new ScoreReason("contact_completeness", 0, 30, "No name, email or phone."),
                new ScoreReason("freshness", 0, 20, "Created 30 days ago; freshness halves every 24 h."),
                new ScoreReason("interest", 0, 25, "No answer to a product or service question."),
                new ScoreReason("engagement", 0, 15, "No interactions or notes yet; full points at 3."),
                new ScoreReason("recency", 0, 10, "No activity yet."),
            ],
            result.Reasons);
    }

    [Theory]
    [InlineData("Jane Doe", null, null, null, null, 10, "Has name; no email or phone.")]
    [InlineData(null, "Jane", "Doe", "jane@example.com", null, 20, "Has name and email; no phone.")]
    [InlineData(null, "Jane", null, "jane@example.com", "+15555550100", 20, "Has email and phone; no name.")]
    [InlineData("  ", null, null, "not-an-email", "123", 0, "No name, email or phone.")]
    [InlineData("Jane Doe", null, null, "jane@example.com", "+1 555 555 0100", 30, "Has name, email and phone.")]
    public void Score_ContactDetails_AThirdOfTheWeightEach(
        string? fullName, string? firstName, string? lastName, string? email, string? phone, int points, string explanation)
    {
        var input = Lead() with { FullName = fullName, FirstName = firstName, LastName = lastName, Email = email, Phone = phone };

        var reason = Reason(LeadScorer.Score(input, ScoringRules.Default, Now), ScoreFactors.ContactCompleteness);

        Assert.Equal(new ScoreReason("contact_completeness", points, 30, explanation), reason);
    }

    [Theory]
    [InlineData(0, 20, "Created just now; freshness halves every 24 h.")]
    [InlineData(-2, 20, "Created just now; freshness halves every 24 h.")]
    [InlineData(0.5, 20, "Created 30 min ago; freshness halves every 24 h.")]
    [InlineData(12, 14, "Created 12 h ago; freshness halves every 24 h.")]
    [InlineData(24, 10, "Created 24 h ago; freshness halves every 24 h.")]
    [InlineData(48, 5, "Created 2 days ago; freshness halves every 24 h.")]
    [InlineData(24 * 7, 0, "Created 7 days ago; freshness halves every 24 h.")]
    public void Score_LeadAge_FreshnessHalvesEveryHalfLife(double hoursAgo, int points, string explanation)
    {
        var reason = Reason(LeadScorer.Score(Lead(createdHoursAgo: hoursAgo), ScoringRules.Default, Now), ScoreFactors.Freshness);

        Assert.Equal(new ScoreReason("freshness", points, 20, explanation), reason);
    }

    [Fact]
    public void Score_ShorterHalfLife_FreshnessDecaysFaster()
    {
        var rules = ScoringRules.Default with { FreshnessHalfLifeHours = 1.5 };

        var reason = Reason(LeadScorer.Score(Lead(createdHoursAgo: 3), rules, Now), ScoreFactors.Freshness);

        Assert.Equal(new ScoreReason("freshness", 5, 20, "Created 3 h ago; freshness halves every 1.5 h."), reason);
    }

    [Fact]
    public void Score_OnlyStandardAnswers_NoInterest()
    {
        var input = Lead() with { Answers = Answers(("FULL_NAME", "Jane"), ("Email", "j@x.io"), ("zip_code", "34000"), ("which_model", "  ")) };

        var reason = Reason(LeadScorer.Score(input, ScoringRules.Default, Now), ScoreFactors.Interest);

        Assert.Equal(new ScoreReason("interest", 0, 25, "No answer to a product or service question."), reason);
    }

    [Fact]
    public void Score_CustomAnswersInAnyOrder_FullInterestSameExplanation()
    {
        var a = Lead() with { Answers = Answers(("which_model", "SUV"), ("budget", "20k"), ("city", "Paris")) };
        var b = Lead() with { Answers = Answers(("city", "Paris"), ("budget", "20k"), ("which_model", "SUV")) };

        var first = LeadScorer.Score(a, ScoringRules.Default, Now);
        var second = LeadScorer.Score(b, ScoringRules.Default, Now);

        Assert.Equal(new ScoreReason("interest", 25, 25, "Answered budget and which_model."), Reason(first, ScoreFactors.Interest));
        Assert.Equal(first.Reasons, second.Reasons);
        Assert.Equal(first.Reasons, LeadScorer.Score(a, ScoringRules.Default, Now).Reasons);
    }

    [Fact]
    public void Score_InterestQuestionsConfigured_OnlyThoseCount()
    {
        var rules = ScoringRules.Default with { InterestQuestions = ["which_model", "budget"] };
        var other = Lead() with { Answers = Answers(("preferred_time", "morning")) };
        var listed = Lead() with { Answers = Answers(("preferred_time", "morning"), ("Which_Model", "SUV")) };

        Assert.Equal(
            new ScoreReason("interest", 0, 25, "No answer to which_model or budget."),
            Reason(LeadScorer.Score(other, rules, Now), ScoreFactors.Interest));
        Assert.Equal(
            new ScoreReason("interest", 25, 25, "Answered Which_Model."),
            Reason(LeadScorer.Score(listed, rules, Now), ScoreFactors.Interest));
    }

    [Fact]
    public void Score_AnswerMentionsKeyword_FullInterest()
    {
        var rules = ScoringRules.Default with { InterestKeywords = ["sedan", "suv"] };
        var input = Lead() with { Answers = Answers(("which_model", "The big Suv, please")) };

        var reason = Reason(LeadScorer.Score(input, rules, Now), ScoreFactors.Interest);

        Assert.Equal(new ScoreReason("interest", 25, 25, "Answered which_model; which_model mentions \"suv\"."), reason);
    }

    [Fact]
    public void Score_AnswerWithoutKeyword_HalfInterestRoundedUp()
    {
        var rules = ScoringRules.Default with { InterestKeywords = ["sedan", "suv"] };
        var input = Lead() with { Answers = Answers(("which_model", "a bicycle")) };

        var reason = Reason(LeadScorer.Score(input, rules, Now), ScoreFactors.Interest);

        Assert.Equal(
            new ScoreReason("interest", 13, 25, "Answered which_model without any of the keywords (sedan or suv); half points."), reason);
    }

    [Theory]
    [InlineData(-1, 0, "No interactions or notes yet; full points at 3.")]
    [InlineData(0, 0, "No interactions or notes yet; full points at 3.")]
    [InlineData(1, 5, "1 interaction or note; full points at 3.")]
    [InlineData(2, 10, "2 interactions or notes; full points at 3.")]
    [InlineData(3, 15, "3 interactions or notes; full points at 3.")]
    [InlineData(12, 15, "12 interactions or notes; full points at 3.")]
    public void Score_Interactions_EngagementUpToTarget(int interactions, int points, string explanation)
    {
        var input = Lead() with { InteractionCount = interactions };

        var reason = Reason(LeadScorer.Score(input, ScoringRules.Default, Now), ScoreFactors.Engagement);

        Assert.Equal(new ScoreReason("engagement", points, 15, explanation), reason);
    }

    [Theory]
    [InlineData(-1, 10, "Last activity just now; full points within a day.")]
    [InlineData(0, 10, "Last activity just now; full points within a day.")]
    [InlineData(24, 10, "Last activity 24 h ago; full points within a day.")]
    [InlineData(25, 10, "Last activity 25 h ago; points fade to none at 7 days.")]
    [InlineData(4 * 24, 5, "Last activity 4 days ago; points fade to none at 7 days.")]
    [InlineData(6 * 24, 2, "Last activity 6 days ago; points fade to none at 7 days.")]
    [InlineData(7 * 24, 0, "Last activity 7 days ago; only the last 7 days count.")]
    [InlineData(30 * 24, 0, "Last activity 30 days ago; only the last 7 days count.")]
    public void Score_LastActivity_RecencyFullForADayThenLinearToWindow(double hoursAgo, int points, string explanation)
    {
        var input = Lead(createdHoursAgo: 24 * 60) with { LastActivityAt = Now.AddHours(-hoursAgo) };

        var reason = Reason(LeadScorer.Score(input, ScoringRules.Default, Now), ScoreFactors.Recency);

        Assert.Equal(new ScoreReason("recency", points, 10, explanation), reason);
    }

    [Fact]
    public void Score_OneDayWindow_NoPointsAfterADay()
    {
        var rules = ScoringRules.Default with { RecencyWindowDays = 1 };
        var input = Lead() with { LastActivityAt = Now.AddHours(-30) };

        var reason = Reason(LeadScorer.Score(input, rules, Now), ScoreFactors.Recency);

        Assert.Equal(new ScoreReason("recency", 0, 10, "Last activity 30 h ago; only the last 1 day count."), reason);
    }

    [Fact]
    public void Score_CustomWeights_MaxPointsFollowRules()
    {
        var rules = new ScoringRules
        {
            ContactCompletenessWeight = 60,
            FreshnessWeight = 0,
            InterestWeight = 40,
            EngagementWeight = 0,
            RecencyWeight = 0,
            EngagementTarget = 1,
        };
        var input = Lead() with { Email = "jane@example.com", Answers = Answers(("which_model", "SUV")), InteractionCount = 5 };

        var result = LeadScorer.Score(input, rules, Now);

        Assert.Equal([60, 0, 40, 0, 0], result.Reasons.Select(r => r.MaxPoints));
        Assert.Equal([20, 0, 40, 0, 0], result.Reasons.Select(r => r.Points));
        Assert.Equal(60, result.Score);
    }

    [Fact]
    public void Score_TestLead_ZeroPointNoteAdded()
    {
        var result = LeadScorer.Score(Lead() with { IsTest = true }, ScoringRules.Default, Now);

        Assert.Equal(new ScoreReason("test_lead", 0, 0, "Test lead from Meta's Lead Ads Testing Tool; scored like any other."), result.Reasons[^1]);
        Assert.Equal(20, result.Score);
    }

    [Fact]
    public void Score_InvalidRules_Throws()
    {
        var rules = ScoringRules.Default with { RecencyWeight = 11 };

        var error = Assert.Throws<ArgumentException>(() => LeadScorer.Score(Lead(), rules, Now));

        Assert.Contains("weights", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_Defaults_NoErrors()
    {
        Assert.Empty(ScoringRules.Default.Validate());
        Assert.Equal(100, ScoringRules.Default.ContactCompletenessWeight + ScoringRules.Default.FreshnessWeight
            + ScoringRules.Default.InterestWeight + ScoringRules.Default.EngagementWeight + ScoringRules.Default.RecencyWeight);
    }

    [Fact]
    public void Validate_WeightsNotSummingTo100_WeightsError()
    {
        var errors = (ScoringRules.Default with { InterestWeight = 30 }).Validate();

        var error = Assert.Single(errors);
        Assert.Equal("weights", error.Field);
        Assert.Equal("The five weights must add up to 100; they add up to 105.", error.Message);
    }

    [Fact]
    public void Validate_NegativeWeightStillSummingTo100_FieldErrorOnly()
    {
        var rules = ScoringRules.Default with { FreshnessWeight = -10, ContactCompletenessWeight = 60 };

        var error = Assert.Single(rules.Validate());

        Assert.Equal(new ScoringRuleError("freshness_weight", "Must be between 0 and 100; it is -10."), error);
    }

    [Fact]
    public void Validate_WeightOver100_Error()
    {
        var rules = new ScoringRules { ContactCompletenessWeight = 130, FreshnessWeight = -30, InterestWeight = 0, EngagementWeight = 0, RecencyWeight = 0 };

        Assert.Equal(["contact_completeness_weight", "freshness_weight"], rules.Validate().Select(e => e.Field));
    }

    [Fact]
    public void Validate_NonPositiveSettings_OneErrorEach()
    {
        var rules = ScoringRules.Default with { FreshnessHalfLifeHours = 0, RecencyWindowDays = -1, EngagementTarget = 0 };

        Assert.Equal(
            ["freshness_half_life_hours", "recency_window_days", "engagement_target"],
            rules.Validate().Select(e => e.Field));
    }

    [Fact]
    public void Validate_NaNHalfLifeAndBlankLists_Errors()
    {
        var rules = ScoringRules.Default with { FreshnessHalfLifeHours = double.NaN, InterestQuestions = [" "], InterestKeywords = null! };

        Assert.Equal(
            ["freshness_half_life_hours", "interest_questions", "interest_keywords"],
            rules.Validate().Select(e => e.Field));
    }

    [Fact]
    public void ScoringRules_SnakeCaseJson_RoundTripsAndMissingMembersKeepDefaults()
    {
        var json = JsonSerializer.Serialize(ScoringRules.Default with { InterestKeywords = ["suv"] }, SnakeCase);
        var partial = JsonSerializer.Deserialize<ScoringRules>("""{"interest_weight":20,"recency_weight":15,"interest_keywords":["suv"]}""", SnakeCase)!;

        Assert.Contains("\"contact_completeness_weight\":30", json, StringComparison.Ordinal);
        Assert.Contains("\"freshness_half_life_hours\":24", json, StringComparison.Ordinal);
        var roundTripped = JsonSerializer.Deserialize<ScoringRules>(json, SnakeCase)!;
        Assert.Equal(["suv"], roundTripped.InterestKeywords);
        Assert.Equal(ScoringRules.Default.EngagementTarget, roundTripped.EngagementTarget);
        Assert.Equal((30, 20, 20, 15, 15), (partial.ContactCompletenessWeight, partial.FreshnessWeight, partial.InterestWeight, partial.EngagementWeight, partial.RecencyWeight));
        Assert.Equal(["suv"], partial.InterestKeywords);
        Assert.Empty(partial.Validate());
    }

    private static ScoringInput Lead(double createdHoursAgo = 0) => new() { CreatedTime = Now.AddHours(-createdHoursAgo) };

    private static Dictionary<string, string> Answers(params (string Key, string Value)[] answers) =>
        answers.ToDictionary(a => a.Key, a => a.Value);

    private static ScoreReason Reason(ScoreResult result, string factor) => Assert.Single(result.Reasons, r => r.Factor == factor);
}
