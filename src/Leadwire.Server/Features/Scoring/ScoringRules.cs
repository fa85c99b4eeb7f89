using System.Text.Json;

namespace Leadwire.Features.Scoring;

/// <summary>
/// A workspace's lead-scoring rules: how many of the 100 points each factor is worth and how each factor is judged.
/// Stored as JSON (snake_case through the caller's options); every member has a default so a partial document works.
/// </summary>
public sealed record ScoringRules
{
    public const int TotalPoints = 100;

    /// <summary>The product's defaults (PRODUCT.md D1).</summary>
    public static ScoringRules Default { get; } = new();

    /// <summary>Points for having a name, an email and a phone, a third each.</summary>
    public int ContactCompletenessWeight { get; init; } = 30;

    /// <summary>Points for a new lead, halving every <see cref="FreshnessHalfLifeHours"/> since it was created.</summary>
    public int FreshnessWeight { get; init; } = 20;

    /// <summary>Points for answering a product or service question.</summary>
    public int InterestWeight { get; init; } = 25;

    /// <summary>Points for interactions and notes, full at <see cref="EngagementTarget"/>.</summary>
    public int EngagementWeight { get; init; } = 15;

    /// <summary>Points for recent activity, full within a day and none after <see cref="RecencyWindowDays"/>.</summary>
    public int RecencyWeight { get; init; } = 10;

    /// <summary>Hours after which a lead's freshness points have halved; a lead called within the hour converts best.</summary>
    public double FreshnessHalfLifeHours { get; init; } = 24;

    /// <summary>Days after the last activity at which recency points reach zero.</summary>
    public int RecencyWindowDays { get; init; } = 7;

    /// <summary>
    /// Answer keys that show interest (e.g. which_model, budget). Empty means any custom answer counts: most forms
    /// ask their product question as their only custom question.
    /// </summary>
    public IReadOnlyList<string> InterestQuestions { get; init; } = [];

    /// <summary>When not empty, an interest answer earns full points only if it mentions one of these (any case).</summary>
    public IReadOnlyList<string> InterestKeywords { get; init; } = [];

    /// <summary>Interactions and notes that earn the full engagement weight.</summary>
    public int EngagementTarget { get; init; } = 3;

    /// <summary>Errors keyed by the JSON (snake_case) name of the offending member; empty when the rules are usable.</summary>
    public IReadOnlyList<ScoringRuleError> Validate()
    {
        var errors = new List<ScoringRuleError>();

        (string Name, int Value)[] weights =
        [
            (nameof(ContactCompletenessWeight), ContactCompletenessWeight),
            (nameof(FreshnessWeight), FreshnessWeight),
            (nameof(InterestWeight), InterestWeight),
            (nameof(EngagementWeight), EngagementWeight),
            (nameof(RecencyWeight), RecencyWeight),
        ];
        foreach (var (name, value) in weights)
        {
            if (value is < 0 or > TotalPoints)
            {
                errors.Add(new(Field(name), $"Must be between 0 and {TotalPoints}; it is {value}."));
            }
        }
        var sum = weights.Sum(w => (long)w.Value);
        if (sum != TotalPoints)
        {
            errors.Add(new("weights", $"The five weights must add up to {TotalPoints}; they add up to {sum}."));
        }

        // "> 0" is false for NaN too.
        if (!(FreshnessHalfLifeHours > 0) || double.IsInfinity(FreshnessHalfLifeHours))
        {
            errors.Add(new(Field(nameof(FreshnessHalfLifeHours)), "Must be a positive number of hours."));
        }
        if (RecencyWindowDays <= 0)
        {
            errors.Add(new(Field(nameof(RecencyWindowDays)), "Must be a positive number of days."));
        }
        if (EngagementTarget <= 0)
        {
            errors.Add(new(Field(nameof(EngagementTarget)), "Must be a positive number of interactions."));
        }

        // A JSON null overrides the initialiser, so the lists are checked although their type says they cannot be.
        if (InterestQuestions is null || InterestQuestions.Any(string.IsNullOrWhiteSpace))
        {
            errors.Add(new(Field(nameof(InterestQuestions)), "Must be a list of answer keys, none blank."));
        }
        if (InterestKeywords is null || InterestKeywords.Any(string.IsNullOrWhiteSpace))
        {
            errors.Add(new(Field(nameof(InterestKeywords)), "Must be a list of words, none blank."));
        }

        return errors;
    }

    private static string Field(string memberName) => JsonNamingPolicy.SnakeCaseLower.ConvertName(memberName);
}

/// <summary>One problem with a set of scoring rules, named by the JSON member it concerns.</summary>
public sealed record ScoringRuleError(string Field, string Message);
