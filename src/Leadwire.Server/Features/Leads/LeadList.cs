using System.Buffers.Text;
using System.Globalization;
using System.Text;
using Leadwire.Data;
using Leadwire.Features.Accounts;
using Leadwire.Features.Contacts;
using Leadwire.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Leadwire.Features.Leads;

/// <summary>
/// GET /api/v1/leads: <see cref="LeadFilter"/>, a sort, keyset pagination. Every sort ends in the id so the order
/// is total, and every keyset condition is written as "key ≤ last AND (key &lt; last OR id &lt; last id)" so its
/// first half is an index range: a deep page seeks instead of re-reading the pages before it.
/// </summary>
public static class LeadList
{
    public static Task<Results<Ok<PagedList<LeadDto>>, ValidationProblem, ProblemHttpResult>> ListAsync(
        HttpContext http, Caller caller, LeadwireDbContext db, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        return ReadAsync(http.Request.Query, caller, db, cancellationToken);
    }

    /// <summary>One page of the list for a query string: the API's answer, and the dashboard's list.</summary>
    public static async Task<Results<Ok<PagedList<LeadDto>>, ValidationProblem, ProblemHttpResult>> ReadAsync(
        IQueryCollection query, Caller caller, LeadwireDbContext db, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var errors = new Dictionary<string, string[]>();
        var filter = LeadFilter.Parse(query, caller, errors);
        var take = LeadsApi.ParseLimit(query["limit"].ToString(), errors);
        var sort = ParseSort(query["sort"].ToString(), errors);
        LeadCursor? cursor = null;
        if (query["cursor"].ToString() is { Length: > 0 } text && sort is { } s)
        {
            cursor = LeadCursor.Decode(text);
            if (cursor is null || cursor.Sort != s)
            {
                errors["cursor"] = ["The cursor is not one this API returned for this sort."];
            }
        }
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }
        if (filter.Deleted && caller.SeesOnlyOwnLeads)
        {
            return TypedResults.Problem(
                title: "Forbidden",
                detail: "Deleted leads are listed for admins and owners only.",
                statusCode: StatusCodes.Status403Forbidden);
        }

        var leads = await QueryAsync(filter, caller, db, cancellationToken);
        var (rows, next) = await PageAsync(leads, sort!.Value, cursor, take, cancellationToken);
        return TypedResults.Ok(new PagedList<LeadDto>(await rows.ToDtosAsync(db, includeRaw: false, cancellationToken), next));
    }

    /// <summary>
    /// Up to this many matches, a tag or a name prefix is cheapest read from its own index and sorted; beyond it,
    /// walking the sort's index and checking each lead finds a page sooner. At the crossover either way reads a
    /// few thousand rows of a million.
    /// </summary>
    private const int FewMatches = 2000;

    /// <summary>
    /// The caller's leads under <paramref name="filter"/>, written so that the database can find a page of them
    /// quickly. A tag and a name prefix are the two conditions whose best plan depends on how many leads match:
    /// a rare tag checked lead by lead along the created-time index would read the whole workspace to fill a
    /// page, a common name prefix read through the name index would sort a hundred thousand rows. Planners
    /// estimate these from averages (SQLite hardly looks at LIMIT), so the list counts — up to
    /// <see cref="FewMatches"/>, on an index — and picks the shape itself.
    /// </summary>
    public static async Task<IQueryable<Lead>> QueryAsync(LeadFilter filter, Caller caller, LeadwireDbContext db, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(db);

        List<long>? taggedIds = null;
        if (filter.Tag is { } tag)
        {
            var tagged = db.LeadTags.Where(t => t.WorkspaceId == caller.WorkspaceId && t.Tag == tag);
            // Ordered as the (workspace_id, tag, lead_id) index is, so the count reads that index and stops.
            if (await tagged.OrderBy(t => t.LeadId).Take(FewMatches + 1).CountAsync(cancellationToken) <= FewMatches)
            {
                taggedIds = await tagged.Select(t => t.LeadId).ToListAsync(cancellationToken);
                filter = filter with { Tag = null };
            }
        }

        string? commonPrefix = null;
        if (filter.Search is { } search && !string.IsNullOrWhiteSpace(search)
            && ContactKeys.Classify(search) is { Kind: SearchTermKind.Name, Value.Length: > 0 } name)
        {
            var lower = name.Value;
            var upper = LeadFilter.PrefixUpperBound(lower);
            var matches = await db.Leads
                .Where(l => l.WorkspaceId == caller.WorkspaceId && string.Compare(l.NameNormalized, lower) >= 0 && string.Compare(l.NameNormalized, upper) < 0)
                .OrderBy(l => l.NameNormalized).Take(FewMatches + 1).CountAsync(cancellationToken);
            if (matches > FewMatches)
            {
                // Without the range the name index is no candidate, and the sort's index leads.
                commonPrefix = lower;
                filter = filter with { Search = null };
            }
        }

        var leads = filter.Apply(db.Leads.AsNoTracking().VisibleTo(caller), db);
        if (taggedIds is not null)
        {
            leads = leads.Where(l => taggedIds.Contains(l.Id));
        }
        if (commonPrefix is not null)
        {
            leads = leads.Where(l => l.NameNormalized!.StartsWith(commonPrefix));
        }
        return leads;
    }

    private static readonly Dictionary<string, LeadSort> Sorts = new(StringComparer.OrdinalIgnoreCase)
    {
        ["created_desc"] = LeadSort.CreatedDesc,
        ["created_asc"] = LeadSort.CreatedAsc,
        ["score_desc"] = LeadSort.ScoreDesc,
        ["score_asc"] = LeadSort.ScoreAsc,
        ["updated_desc"] = LeadSort.UpdatedDesc,
    };

    internal static LeadSort? ParseSort(string? value, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return LeadSort.CreatedDesc;
        }
        if (Sorts.TryGetValue(value.Trim(), out var sort))
        {
            return sort;
        }
        errors["sort"] = [$"Use one of {string.Join(", ", Sorts.Keys)}."];
        return null;
    }

    /// <summary>One page in <paramref name="sort"/> order after <paramref name="cursor"/>, and the cursor of the next page.</summary>
    public static async Task<(List<Lead> Rows, string? Next)> PageAsync(
        IQueryable<Lead> leads, LeadSort sort, LeadCursor? cursor, int take, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(leads);
        if (sort == LeadSort.UpdatedDesc)
        {
            return await UpdatedPageAsync(leads, cursor, take, cancellationToken);
        }

        var ordered = Ordered(After(leads, sort, cursor), sort);
        var rows = await ordered.Take(take + 1).ToListAsync(cancellationToken);
        if (rows.Count <= take)
        {
            return (rows, null);
        }
        rows.RemoveAt(take);
        return (rows, LeadCursor.After(sort, rows[^1], nullPhase: false).Encode());
    }

    private static IQueryable<Lead> After(IQueryable<Lead> leads, LeadSort sort, LeadCursor? cursor)
    {
        if (cursor is null)
        {
            return leads;
        }
        var id = cursor.Id;
        switch (sort)
        {
            case LeadSort.CreatedDesc:
            {
                var time = cursor.Time;
                return leads.Where(l => l.CreatedTime <= time && (l.CreatedTime < time || l.Id < id));
            }
            case LeadSort.CreatedAsc:
            {
                var time = cursor.Time;
                return leads.Where(l => l.CreatedTime >= time && (l.CreatedTime > time || l.Id > id));
            }
            case LeadSort.ScoreDesc:
            {
                var score = (int)cursor.Key;
                return leads.Where(l => l.Score <= score && (l.Score < score || l.Id < id));
            }
            case LeadSort.ScoreAsc:
            {
                var score = (int)cursor.Key;
                return leads.Where(l => l.Score >= score && (l.Score > score || l.Id > id));
            }
            default:
                throw new ArgumentOutOfRangeException(nameof(sort), sort, "Updated pages are read in two phases.");
        }
    }

    private static IOrderedQueryable<Lead> Ordered(IQueryable<Lead> leads, LeadSort sort) => sort switch
    {
        LeadSort.CreatedDesc => leads.OrderByDescending(l => l.CreatedTime).ThenByDescending(l => l.Id),
        LeadSort.CreatedAsc => leads.OrderBy(l => l.CreatedTime).ThenBy(l => l.Id),
        LeadSort.ScoreDesc => leads.OrderByDescending(l => l.Score).ThenByDescending(l => l.Id),
        LeadSort.ScoreAsc => leads.OrderBy(l => l.Score).ThenBy(l => l.Id),
        _ => throw new ArgumentOutOfRangeException(nameof(sort), sort, "Updated pages are read in two phases."),
    };

    /// <summary>
    /// Recently updated first. Leads nobody has touched have no <c>updated_at</c>, and the providers put NULLs at
    /// opposite ends of a descending order, so the order is explicit and read in two phases: updated leads by
    /// (updated_at, id) descending, then untouched ones newest first by (created_time, id) — each phase a plain
    /// index range. The cursor says which phase it is in.
    /// </summary>
    private static async Task<(List<Lead> Rows, string? Next)> UpdatedPageAsync(
        IQueryable<Lead> leads, LeadCursor? cursor, int take, CancellationToken cancellationToken)
    {
        var rows = new List<Lead>(take + 1);
        if (cursor is not { NullPhase: true })
        {
            var updated = leads.Where(l => l.UpdatedAt != null);
            if (cursor is not null)
            {
                DateTime? time = cursor.Time;
                var id = cursor.Id;
                updated = updated.Where(l => l.UpdatedAt <= time && (l.UpdatedAt < time || l.Id < id));
            }
            rows.AddRange(await updated.OrderByDescending(l => l.UpdatedAt).ThenByDescending(l => l.Id).Take(take + 1).ToListAsync(cancellationToken));
            if (rows.Count > take)
            {
                rows.RemoveAt(take);
                return (rows, LeadCursor.After(LeadSort.UpdatedDesc, rows[^1], nullPhase: false).Encode());
            }
            cursor = null;
        }

        var untouched = leads.Where(l => l.UpdatedAt == null);
        if (cursor is { Id: > 0 })
        {
            var time = cursor.Time;
            var id = cursor.Id;
            untouched = untouched.Where(l => l.CreatedTime <= time && (l.CreatedTime < time || l.Id < id));
        }
        var room = take - rows.Count;
        var more = await untouched.OrderByDescending(l => l.CreatedTime).ThenByDescending(l => l.Id).Take(room + 1).ToListAsync(cancellationToken);
        if (more.Count <= room)
        {
            rows.AddRange(more);
            return (rows, null);
        }
        rows.AddRange(more.Take(room));
        // A full page of updated leads with untouched ones to follow: the next page starts the second phase.
        var next = room == 0 ? LeadCursor.NullPhaseStart : LeadCursor.After(LeadSort.UpdatedDesc, rows[^1], nullPhase: true);
        return (rows, next.Encode());
    }
}

/// <summary>The list's orders.</summary>
public enum LeadSort
{
    CreatedDesc,
    CreatedAsc,
    ScoreDesc,
    ScoreAsc,
    UpdatedDesc,
}

/// <summary>
/// Where a page of the lead list ended: the sort it belongs to (a cursor of one sort is refused by another), the
/// last lead's sort key (ticks or score) and id; for updated_desc, whether the untouched leads' phase was reached.
/// </summary>
public sealed record LeadCursor(LeadSort Sort, long Key, long Id, bool NullPhase)
{
    /// <summary>The start of updated_desc's second phase (untouched leads), before any of its leads.</summary>
    public static LeadCursor NullPhaseStart { get; } = new(LeadSort.UpdatedDesc, 0, 0, NullPhase: true);

    public DateTime Time => new(Key, DateTimeKind.Utc);

    public static LeadCursor After(LeadSort sort, Lead last, bool nullPhase)
    {
        ArgumentNullException.ThrowIfNull(last);
        var key = sort switch
        {
            LeadSort.ScoreDesc or LeadSort.ScoreAsc => last.Score,
            LeadSort.UpdatedDesc when !nullPhase => last.UpdatedAt!.Value.Ticks,
            _ => last.CreatedTime.Ticks,
        };
        return new LeadCursor(sort, key, last.Id, nullPhase);
    }

    public string Encode() =>
        Base64Url.EncodeToString(Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{(int)Sort}:{(NullPhase ? 1 : 0)}:{Key}:{Id}")));

    public static LeadCursor? Decode(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length > 200)
        {
            return null;
        }
        string plain;
        try
        {
            plain = Encoding.ASCII.GetString(Base64Url.DecodeFromChars(text));
        }
        catch (FormatException)
        {
            return null;
        }
        var parts = plain.Split(':');
        if (parts.Length != 4
            || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var sort) || !Enum.IsDefined((LeadSort)sort)
            || parts[1] is not ("0" or "1")
            || !long.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var key)
            || !long.TryParse(parts[3], NumberStyles.None, CultureInfo.InvariantCulture, out var id)
            || key > DateTime.MaxValue.Ticks)
        {
            return null;
        }
        var nullPhase = parts[1] == "1";
        if (nullPhase && (LeadSort)sort != LeadSort.UpdatedDesc)
        {
            return null;
        }
        return new LeadCursor((LeadSort)sort, key, id, nullPhase);
    }
}
