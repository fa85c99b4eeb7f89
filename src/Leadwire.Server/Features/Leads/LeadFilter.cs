using System.Globalization;
using Leadwire.Data;
using Leadwire.Features.Accounts;
using Leadwire.Features.Contacts;

namespace Leadwire.Features.Leads;

/// <summary>
/// The conditions of the lead list, as one value: the list applies it to a page of results and bulk operations store
/// it (as JSON) to apply it again to every lead it matches, so it holds plain data only.
/// </summary>
public sealed record LeadFilter
{
    public IReadOnlyList<LeadStatus>? Statuses { get; init; }

    /// <summary>Meta page id.</summary>
    public string? PageId { get; init; }

    /// <summary>Meta form id.</summary>
    public string? FormId { get; init; }

    public string? CampaignId { get; init; }
    public string? AdId { get; init; }
    public long? AssigneeUserId { get; init; }
    public bool? Unassigned { get; init; }
    public string? Tag { get; init; }
    public int? ScoreMin { get; init; }
    public int? ScoreMax { get; init; }
    public DateTime? CreatedSince { get; init; }
    public DateTime? CreatedUntil { get; init; }
    public bool? IsTest { get; init; }

    /// <summary>Name, email or phone (normalised via <see cref="ContactKeys.Classify"/>).</summary>
    public string? Search { get; init; }

    /// <summary>False: live leads only; true: soft-deleted leads only.</summary>
    public bool Deleted { get; init; }

    /// <summary>
    /// Parses the list's query string (status=new,contacted&amp;page_id=..&amp;form_id=..&amp;campaign_id=..&amp;ad_id=..
    /// &amp;assignee=&lt;user id&gt;|none|me&amp;tag=..&amp;score_min=..&amp;score_max=..&amp;created_since=ISO&amp;created_until=ISO
    /// &amp;is_test=true|false&amp;q=..&amp;deleted=true); adds snake_case errors.
    /// </summary>
    public static LeadFilter Parse(IQueryCollection query, Caller caller, Dictionary<string, string[]> errors)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(errors);

        var assignee = Text(query, "assignee");
        long? assigneeUserId = null;
        bool? unassigned = null;
        if (assignee is not null)
        {
            if (string.Equals(assignee, "none", StringComparison.OrdinalIgnoreCase))
            {
                unassigned = true;
            }
            else if (string.Equals(assignee, "me", StringComparison.OrdinalIgnoreCase))
            {
                assigneeUserId = caller.UserId;
            }
            else if (long.TryParse(assignee, NumberStyles.None, CultureInfo.InvariantCulture, out var userId))
            {
                assigneeUserId = userId;
            }
            else
            {
                errors["assignee"] = ["Use a user id, me or none."];
            }
        }

        var scoreMin = Score(query, "score_min", errors);
        var scoreMax = Score(query, "score_max", errors);
        if (scoreMin > scoreMax)
        {
            errors["score_max"] = ["score_max must not be below score_min."];
        }

        var tag = Text(query, "tag");
        if (tag is not null)
        {
            tag = TagName.Normalise(tag);
            if (tag is null)
            {
                errors["tag"] = [TagName.Rule];
            }
        }

        var deleted = Flag(query, "deleted", errors);
        return new LeadFilter
        {
            Statuses = ParseStatuses(query, errors),
            PageId = Text(query, "page_id"),
            FormId = Text(query, "form_id"),
            CampaignId = Text(query, "campaign_id"),
            AdId = Text(query, "ad_id"),
            AssigneeUserId = assigneeUserId,
            Unassigned = unassigned,
            Tag = tag,
            ScoreMin = scoreMin,
            ScoreMax = scoreMax,
            CreatedSince = Time(query, "created_since", errors),
            CreatedUntil = Time(query, "created_until", errors),
            IsTest = Flag(query, "is_test", errors),
            Search = Text(query, "q"),
            Deleted = deleted ?? false,
        };
    }

    /// <summary>Applies every condition (the caller's visibility is applied separately with VisibleTo(caller)).</summary>
    public IQueryable<Lead> Apply(IQueryable<Lead> leads, LeadwireDbContext db)
    {
        ArgumentNullException.ThrowIfNull(leads);
        ArgumentNullException.ThrowIfNull(db);

        // Erased leads stay listed (their counts matter; their personal fields are already null).
        leads = Deleted ? leads.Where(l => l.DeletedAt != null) : leads.Where(l => l.DeletedAt == null);

        if (Statuses is { Count: > 0 } statuses)
        {
            if (statuses.Count == 1)
            {
                // Equality rather than IN (…) so the (workspace_id, status, created_time, id) index serves the order too.
                var status = statuses[0];
                leads = leads.Where(l => l.Status == status);
            }
            else
            {
                var list = statuses.Distinct().ToList();
                leads = leads.Where(l => list.Contains(l.Status));
            }
        }
        if (PageId is { } pageId)
        {
            leads = leads.Where(l => l.MetaPageId == pageId);
        }
        if (FormId is { } formId)
        {
            leads = leads.Where(l => l.MetaFormId == formId);
        }
        if (CampaignId is { } campaignId)
        {
            leads = leads.Where(l => l.CampaignId == campaignId);
        }
        if (AdId is { } adId)
        {
            leads = leads.Where(l => l.AdId == adId);
        }
        if (AssigneeUserId is { } assigneeUserId)
        {
            leads = leads.Where(l => l.AssigneeUserId == assigneeUserId);
        }
        if (Unassigned is { } unassigned)
        {
            leads = unassigned ? leads.Where(l => l.AssigneeUserId == null) : leads.Where(l => l.AssigneeUserId != null);
        }
        if (Tag is { } tag)
        {
            leads = leads.Where(l => db.LeadTags.Any(t => t.LeadId == l.Id && t.Tag == tag));
        }
        if (ScoreMin is { } scoreMin)
        {
            leads = leads.Where(l => l.Score >= scoreMin);
        }
        if (ScoreMax is { } scoreMax)
        {
            leads = leads.Where(l => l.Score <= scoreMax);
        }
        if (CreatedSince is { } since)
        {
            leads = leads.Where(l => l.CreatedTime >= since);
        }
        if (CreatedUntil is { } until)
        {
            leads = leads.Where(l => l.CreatedTime < until);
        }
        if (IsTest is { } isTest)
        {
            leads = leads.Where(l => l.IsTest == isTest);
        }
        if (!string.IsNullOrWhiteSpace(Search))
        {
            leads = ApplySearch(leads, ContactKeys.Classify(Search));
        }
        return leads;
    }

    private static IQueryable<Lead> ApplySearch(IQueryable<Lead> leads, SearchTerm term)
    {
        var value = term.Value;
        switch (term.Kind)
        {
            case SearchTermKind.Email:
                return leads.Where(l => l.EmailNormalized == value);
            case SearchTermKind.Phone:
                return leads.Where(l => l.PhoneNormalized == value);
            default:
                if (value.Length == 0)
                {
                    return leads;
                }
                // A prefix as a range is what a b-tree index on (workspace_id, name_normalized) can seek on, on both
                // providers; LIKE is not (SQLite's LIKE is case-insensitive, PostgreSQL's needs a pattern-ops
                // index). StartsWith then keeps the match exact whatever the collation makes of the range's edges.
                var upper = PrefixUpperBound(value);
                return leads.Where(l => string.Compare(l.NameNormalized, value) >= 0
                    && string.Compare(l.NameNormalized, upper) < 0
                    && l.NameNormalized!.StartsWith(value));
        }
    }

    /// <summary>The first string after every string that starts with <paramref name="prefix"/> (its last character bumped).</summary>
    internal static string PrefixUpperBound(string prefix) =>
        string.Concat(prefix.AsSpan(0, prefix.Length - 1), new string((char)(prefix[^1] + 1), 1));

    private static string? Text(IQueryCollection query, string name)
    {
        var value = query[name].ToString().Trim();
        return value.Length == 0 ? null : value;
    }

    private static List<LeadStatus>? ParseStatuses(IQueryCollection query, Dictionary<string, string[]> errors)
    {
        var values = query["status"]
            .SelectMany(v => (v ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .ToList();
        if (values.Count == 0)
        {
            return null;
        }
        var statuses = new List<LeadStatus>(values.Count);
        foreach (var value in values)
        {
            if (LeadWorkflow.TryParse(value, out var status))
            {
                statuses.Add(status);
            }
            else
            {
                errors["status"] = [$"Unknown status '{value}'. Use one or more of {string.Join(", ", LeadWorkflow.Names)}, comma-separated."];
                return null;
            }
        }
        return statuses.Distinct().ToList();
    }

    private static int? Score(IQueryCollection query, string name, Dictionary<string, string[]> errors)
    {
        if (Text(query, name) is not { } text)
        {
            return null;
        }
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var score) && score <= 100)
        {
            return score;
        }
        errors[name] = [$"{name} must be a whole number from 0 to 100."];
        return null;
    }

    private static bool? Flag(IQueryCollection query, string name, Dictionary<string, string[]> errors)
    {
        if (Text(query, name) is not { } text)
        {
            return null;
        }
        if (bool.TryParse(text, out var flag))
        {
            return flag;
        }
        errors[name] = ["Use true or false."];
        return null;
    }

    private static DateTime? Time(IQueryCollection query, string name, Dictionary<string, string[]> errors)
    {
        if (Text(query, name) is not { } text)
        {
            return null;
        }
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
        {
            return parsed.UtcDateTime;
        }
        errors[name] = ["Use an ISO-8601 date and time, e.g. 2026-01-31T00:00:00Z."];
        return null;
    }
}
