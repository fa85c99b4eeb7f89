using Leadwire.Data;
using Leadwire.Features.Accounts;
using Leadwire.Features.Live;
using Leadwire.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Leadwire.Features.Leads;

/// <summary>
/// Tags (PRODUCT.md C10): free-form labels, trimmed and lower-cased (<see cref="TagName"/>), each addition and
/// removal a timeline event. Adding a tag the lead has, or removing one it lacks, changes nothing and succeeds.
/// </summary>
public static class LeadTagging
{
    /// <summary>More than this on one lead is a list, not a label; it would also bloat every list page.</summary>
    public const int MaxTagsPerLead = 50;

    public sealed record ReplaceRequest(IReadOnlyList<string?>? Tags);

    public sealed record AddRequest(string? Tag);

    public sealed record TagCountDto(string Tag, int Count);

    public static async Task<Results<Ok<LeadTagsDto>, ValidationProblem, NotFound, ProblemHttpResult>> ReplaceAsync(
        long id, ReplaceRequest request, Caller caller, LeadwireDbContext db, WriteGate gate, TimeProvider time, LiveEvents live, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var errors = new Dictionary<string, string[]>();
        var wanted = new SortedSet<string>(StringComparer.Ordinal);
        if (request.Tags is null)
        {
            errors["tags"] = ["Required: the lead's complete list of tags ([] removes them all)."];
        }
        else
        {
            foreach (var tag in request.Tags)
            {
                if (TagName.Normalise(tag) is { } name)
                {
                    wanted.Add(name);
                }
                else
                {
                    errors["tags"] = [TagName.Rule];
                }
            }
            if (wanted.Count > MaxTagsPerLead)
            {
                errors["tags"] = [$"At most {MaxTagsPerLead} tags per lead."];
            }
        }
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }
        return await ChangeAsync(id, caller, db, gate, time, live, _ => wanted, cancellationToken);
    }

    public static async Task<Results<Ok<LeadTagsDto>, ValidationProblem, NotFound, ProblemHttpResult>> AddAsync(
        long id, AddRequest request, Caller caller, LeadwireDbContext db, WriteGate gate, TimeProvider time, LiveEvents live, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (TagName.Normalise(request.Tag) is not { } tag)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["tag"] = [TagName.Rule] });
        }
        return await ChangeAsync(id, caller, db, gate, time, live, current => current.Append(tag).ToHashSet(StringComparer.Ordinal), cancellationToken);
    }

    public static async Task<Results<NoContent, ValidationProblem, NotFound, ProblemHttpResult>> RemoveAsync(
        long id, string tag, Caller caller, LeadwireDbContext db, WriteGate gate, TimeProvider time, LiveEvents live, CancellationToken cancellationToken)
    {
        if (TagName.Normalise(tag) is not { } name)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["tag"] = [TagName.Rule] });
        }
        var result = await ChangeAsync(id, caller, db, gate, time, live, current => current.Where(t => t != name).ToHashSet(StringComparer.Ordinal), cancellationToken);
        return result.Result switch
        {
            Ok<LeadTagsDto> => TypedResults.NoContent(),
            NotFound notFound => notFound,
            ProblemHttpResult problem => problem,
            ValidationProblem validation => validation,
            _ => throw new InvalidOperationException("Unexpected tag change result."),
        };
    }

    /// <summary>GET /api/v1/tags: the tags on the live leads the caller can see, most used first.</summary>
    public static async Task<Ok<PagedList<TagCountDto>>> ListAsync(Caller caller, LeadwireDbContext db, CancellationToken cancellationToken)
    {
        var counts = await db.Leads.AsNoTracking().VisibleTo(caller)
            .Where(l => l.DeletedAt == null)
            .Join(db.LeadTags, l => l.Id, t => t.LeadId, (l, t) => t.Tag)
            .GroupBy(tag => tag)
            .Select(g => new TagCountDto(g.Key, g.Count()))
            .ToListAsync(cancellationToken);
        var ordered = counts.OrderByDescending(c => c.Count).ThenBy(c => c.Tag, StringComparer.Ordinal).ToList();
        return TypedResults.Ok(new PagedList<TagCountDto>(ordered, null));
    }

    /// <summary>Sets the lead's tags to what <paramref name="next"/> makes of its current ones.</summary>
    private static async Task<Results<Ok<LeadTagsDto>, ValidationProblem, NotFound, ProblemHttpResult>> ChangeAsync(
        long id, Caller caller, LeadwireDbContext db, WriteGate gate, TimeProvider time, LiveEvents live,
        Func<IReadOnlySet<string>, IReadOnlySet<string>> next, CancellationToken cancellationToken)
    {
        IReadOnlyList<string> result = [];
        var outcome = await LeadChanges.ApplyAsync(db, gate, time, live, caller, id, null, async change =>
        {
            if (change.ReadOnlyProblem() is { } readOnly)
            {
                return readOnly;
            }
            var lead = change.Lead;
            var rows = await db.LeadTags.Where(t => t.LeadId == lead.Id).ToListAsync(cancellationToken);
            var current = rows.Select(t => t.Tag).ToHashSet(StringComparer.Ordinal);
            var wanted = next(current);
            result = wanted.Order(StringComparer.Ordinal).ToList();
            if (wanted.Count > MaxTagsPerLead && wanted.Count > current.Count)
            {
                return LeadProblems.Unprocessable(new Dictionary<string, string[]> { ["tag"] = [$"The lead already has {current.Count} tags; at most {MaxTagsPerLead}."] });
            }

            var removed = rows.Where(r => !wanted.Contains(r.Tag)).OrderBy(r => r.Tag, StringComparer.Ordinal).ToList();
            var added = wanted.Where(t => !current.Contains(t)).Order(StringComparer.Ordinal).ToList();
            if (removed.Count == 0 && added.Count == 0)
            {
                change.Unchanged();
                return null;
            }
            foreach (var row in removed)
            {
                db.LeadTags.Remove(row);
                change.Record(LeadEventTypes.Untagged, new { row.Tag });
            }
            foreach (var tag in added)
            {
                db.LeadTags.Add(new LeadTag { LeadId = lead.Id, Tag = tag, WorkspaceId = lead.WorkspaceId });
                change.Record(LeadEventTypes.Tagged, new { Tag = tag });
            }
            return null;
        }, cancellationToken);

        if (outcome.NotFound)
        {
            return TypedResults.NotFound();
        }
        if (outcome.Problem is { } problem)
        {
            return problem;
        }
        return TypedResults.Ok(new LeadTagsDto(result));
    }
}
