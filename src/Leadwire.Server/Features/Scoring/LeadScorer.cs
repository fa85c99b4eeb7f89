using System.Collections.Frozen;
using System.Globalization;
using Leadwire.Features.Contacts;

namespace Leadwire.Features.Scoring;

/// <summary>
/// Scores a lead 0–100 under a workspace's rules, with a reason for every point (PRODUCT.md D1). Pure: the same
/// input, rules and clock give the same score and the same sentences, so scores can be recomputed and compared.
/// </summary>
public static class LeadScorer
{
    /// <summary>
    /// Answer keys of Meta's standard questions (the names <c>LeadMapper</c> maps to columns, plus the personal
    /// details it keeps only as answers). Any other key is a custom question, which by default counts as interest.
    /// A custom key that asks a standard question (a form's own key for an email) is not recognised here.
    /// </summary>
    public static IReadOnlySet<string> StandardAnswerKeys { get; } = new[]
    {
        "full_name", "first_name", "last_name", "email", "work_email", "phone_number", "phone", "work_phone_number",
        "street_address", "city", "state", "province", "zip_code", "zip", "post_code", "postal_code", "country",
        "company_name", "job_title", "date_of_birth", "dob", "gender", "marital_status", "relationship_status",
        "military_status",
    }.ToFrozenSet(StringComparer.OrdinalIgnoreCase);

    /// <summary>Scores <paramref name="input"/> as of <paramref name="now"/> (UTC).</summary>
    /// <exception cref="ArgumentException">The rules fail <see cref="ScoringRules.Validate"/>.</exception>
    public static ScoreResult Score(ScoringInput input, ScoringRules rules, DateTime now)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(rules);

        // Rules are validated when a workspace saves them; invalid rules here are a bug, and a quiet fallback would
        // show users scores that their own settings do not explain.
        var errors = rules.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException(
                "Invalid scoring rules: " + string.Join("; ", errors.Select(e => $"{e.Field}: {e.Message}")), nameof(rules));
        }

        List<ScoreReason> reasons =
        [
            ContactCompleteness(input, rules.ContactCompletenessWeight),
            Freshness(input, rules, now),
            Interest(input, rules),
            Engagement(input, rules),
            Recency(input, rules, now),
        ];
        if (input.IsTest)
        {
            reasons.Add(new(ScoreFactors.TestLead, 0, 0, "Test lead from Meta's Lead Ads Testing Tool; scored like any other."));
        }

        return new ScoreResult(Math.Clamp(reasons.Sum(r => r.Points), 0, ScoringRules.TotalPoints), reasons);
    }

    private static ScoreReason ContactCompleteness(ScoringInput input, int weight)
    {
        var hasName = !string.IsNullOrWhiteSpace(input.FullName)
            || (!string.IsNullOrWhiteSpace(input.FirstName) && !string.IsNullOrWhiteSpace(input.LastName));
        // Normalised, not merely present: an email without '@' or a three-digit phone cannot reach anyone.
        var parts = new (string Name, bool Present)[]
        {
            ("name", hasName),
            ("email", ContactKeys.NormaliseEmail(input.Email) is not null),
            ("phone", ContactKeys.NormalisePhone(input.Phone) is not null),
        };
        var have = parts.Where(p => p.Present).Select(p => p.Name).ToList();
        var missing = parts.Where(p => !p.Present).Select(p => p.Name).ToList();

        var explanation = (have.Count, missing.Count) switch
        {
            (_, 0) => $"Has {Join(have, "and")}.",
            (0, _) => $"No {Join(missing, "or")}.",
            _ => $"Has {Join(have, "and")}; no {Join(missing, "or")}.",
        };
        return new(ScoreFactors.ContactCompleteness, Points(weight, have.Count / 3.0), weight, explanation);
    }

    private static ScoreReason Freshness(ScoringInput input, ScoringRules rules, DateTime now)
    {
        var age = NotNegative(now - input.CreatedTime);
        var fraction = Math.Pow(0.5, age.TotalHours / rules.FreshnessHalfLifeHours);
        var halfLife = rules.FreshnessHalfLifeHours.ToString("0.##", CultureInfo.InvariantCulture);
        return new(
            ScoreFactors.Freshness, Points(rules.FreshnessWeight, fraction), rules.FreshnessWeight,
            $"Created {Ago(age)}; freshness halves every {halfLife} h.");
    }

    private static ScoreReason Interest(ScoringInput input, ScoringRules rules)
    {
        var weight = rules.InterestWeight;
        var questions = rules.InterestQuestions;
        var answers = (input.Answers ?? new Dictionary<string, string>())
            .Where(a => !string.IsNullOrWhiteSpace(a.Value))
            .Where(a => questions.Count > 0
                ? questions.Contains(a.Key, StringComparer.OrdinalIgnoreCase)
                : !StandardAnswerKeys.Contains(a.Key))
            .OrderBy(a => a.Key, StringComparer.Ordinal)
            .ToList();

        if (answers.Count == 0)
        {
            var none = questions.Count > 0 ? $"No answer to {Join(questions, "or")}." : "No answer to a product or service question.";
            return new(ScoreFactors.Interest, 0, weight, none);
        }

        var answered = $"Answered {Join(answers.Select(a => a.Key).ToList(), "and")}";
        if (rules.InterestKeywords.Count == 0)
        {
            return new(ScoreFactors.Interest, weight, weight, answered + ".");
        }

        var keywords = rules.InterestKeywords.Select(k => k.Trim()).ToList();
        foreach (var (key, value) in answers)
        {
            if (keywords.FirstOrDefault(k => value.Contains(k, StringComparison.OrdinalIgnoreCase)) is { } keyword)
            {
                return new(ScoreFactors.Interest, weight, weight, $"{answered}; {key} mentions \"{keyword}\".");
            }
        }
        return new(
            ScoreFactors.Interest, Points(weight, 0.5), weight,
            $"{answered} without any of the keywords ({Join(keywords, "or")}); half points.");
    }

    private static ScoreReason Engagement(ScoringInput input, ScoringRules rules)
    {
        var count = Math.Max(0, input.InteractionCount);
        var target = rules.EngagementTarget;
        var explanation = count switch
        {
            0 => $"No interactions or notes yet; full points at {target}.",
            1 => $"1 interaction or note; full points at {target}.",
            _ => $"{count} interactions or notes; full points at {target}.",
        };
        return new(
            ScoreFactors.Engagement, Points(rules.EngagementWeight, (double)count / target), rules.EngagementWeight, explanation);
    }

    private static ScoreReason Recency(ScoringInput input, ScoringRules rules, DateTime now)
    {
        var weight = rules.RecencyWeight;
        if (input.LastActivityAt is not { } last)
        {
            return new(ScoreFactors.Recency, 0, weight, "No activity yet.");
        }

        var since = NotNegative(now - last);
        var days = since.TotalDays;
        var window = rules.RecencyWindowDays;
        var windowText = window == 1 ? "1 day" : $"{window} days";
        if (days <= 1)
        {
            return new(ScoreFactors.Recency, weight, weight, $"Last activity {Ago(since)}; full points within a day.");
        }
        if (days >= window)
        {
            return new(ScoreFactors.Recency, 0, weight, $"Last activity {Ago(since)}; only the last {windowText} count.");
        }
        // Linear from full at one day to none at the window's end; here 1 < days < window, so window > 1.
        var fraction = (window - days) / (window - 1);
        return new(
            ScoreFactors.Recency, Points(weight, fraction), weight,
            $"Last activity {Ago(since)}; points fade to none at {windowText}.");
    }

    /// <summary>Rounded half away from zero, so 2.5 is always 3 whatever the platform's default.</summary>
    private static int Points(int weight, double fraction) =>
        (int)Math.Round(weight * Math.Clamp(fraction, 0, 1), MidpointRounding.AwayFromZero);

    /// <summary>A clock a little behind Meta's (or a future created_time) must not earn more than full points.</summary>
    private static TimeSpan NotNegative(TimeSpan span) => span < TimeSpan.Zero ? TimeSpan.Zero : span;

    private static string Ago(TimeSpan age) => age switch
    {
        { TotalMinutes: < 1 } => "just now",
        { TotalHours: < 1 } => $"{(int)age.TotalMinutes} min ago",
        { TotalHours: < 48 } => $"{(int)age.TotalHours} h ago",
        _ => $"{(int)age.TotalDays} days ago",
    };

    /// <summary>"a", "a and b", "a, b and c" (or "or").</summary>
    private static string Join(IReadOnlyList<string> items, string conjunction) => items.Count switch
    {
        0 => string.Empty,
        1 => items[0],
        _ => $"{string.Join(", ", items.Take(items.Count - 1))} {conjunction} {items[^1]}",
    };
}
