using System.Globalization;
using Leadwire.Data;
using Leadwire.Features.Accounts;
using Leadwire.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Leadwire.Features.Leads;

public static class LeadsApi
{
    public static IEndpointRouteBuilder MapLeadsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/leads").RequireRole(WorkspaceRole.Agent).WithTags("Leads");
        group.MapGet("/", ListAsync).WithSummary("List leads, newest first, with keyset pagination");
        group.MapGet("/{id:long}", GetAsync).WithSummary("One lead with its raw Graph node");
        return app;
    }

    internal static async Task<Results<Ok<PagedList<LeadDto>>, ValidationProblem>> ListAsync(
        Caller caller,
        LeadwireDbContext db,
        string? page_id,
        string? form_id,
        string? created_since,
        string? created_until,
        string? is_test,
        string? limit,
        string? cursor,
        CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        var take = ParseLimit(limit, errors);
        var since = ParseTime(created_since, "created_since", errors);
        var until = ParseTime(created_until, "created_until", errors);
        bool? test = null;
        if (!string.IsNullOrEmpty(is_test))
        {
            if (bool.TryParse(is_test, out var parsed))
            {
                test = parsed;
            }
            else
            {
                errors["is_test"] = ["Use true or false."];
            }
        }
        DateTime afterTime = default;
        long afterId = 0;
        if (cursor is not null && !Cursor.TryDecode(cursor, out afterTime, out afterId))
        {
            errors["cursor"] = ["The cursor is not one this API returned."];
        }
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var query = db.Leads.AsNoTracking().VisibleTo(caller);
        if (!string.IsNullOrEmpty(page_id))
        {
            query = query.Where(l => l.MetaPageId == page_id);
        }
        if (!string.IsNullOrEmpty(form_id))
        {
            query = query.Where(l => l.MetaFormId == form_id);
        }
        if (since is { } s)
        {
            query = query.Where(l => l.CreatedTime >= s);
        }
        if (until is { } u)
        {
            query = query.Where(l => l.CreatedTime < u);
        }
        if (test is { } t)
        {
            query = query.Where(l => l.IsTest == t);
        }
        if (cursor is not null)
        {
            query = query.Where(l => l.CreatedTime < afterTime || (l.CreatedTime == afterTime && l.Id < afterId));
        }

        var rows = await query
            .OrderByDescending(l => l.CreatedTime).ThenByDescending(l => l.Id)
            .Take(take + 1)
            .ToListAsync(cancellationToken);
        var next = rows.Count > take ? Cursor.Encode(rows[take - 1].CreatedTime, rows[take - 1].Id) : null;
        return TypedResults.Ok(new PagedList<LeadDto>(rows.Take(take).Select(l => l.ToDto(includeRaw: false)).ToList(), next));
    }

    internal static async Task<Results<Ok<LeadDto>, NotFound>> GetAsync(long id, Caller caller, LeadwireDbContext db, CancellationToken cancellationToken)
    {
        var lead = await db.Leads.AsNoTracking().VisibleTo(caller).SingleOrDefaultAsync(l => l.Id == id, cancellationToken);
        return lead is null ? TypedResults.NotFound() : TypedResults.Ok(lead.ToDto(includeRaw: true));
    }

    internal static int ParseLimit(string? limit, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrEmpty(limit))
        {
            return Cursor.DefaultLimit;
        }
        if (int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value is >= 1 and <= Cursor.MaxLimit)
        {
            return value;
        }
        errors["limit"] = [$"limit must be a whole number from 1 to {Cursor.MaxLimit}."];
        return Cursor.DefaultLimit;
    }

    internal static DateTime? ParseTime(string? value, string name, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }
        if (DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
        {
            return parsed.UtcDateTime;
        }
        errors[name] = ["Use an ISO-8601 date and time, e.g. 2026-01-31T00:00:00Z."];
        return null;
    }
}
