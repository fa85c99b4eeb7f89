using System.Text.Json;
using Leadwire.Data;
using Leadwire.Features.Accounts;
using Leadwire.Features.Leads;
using Leadwire.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Leadwire.Features.Jobs;

public sealed record JobDto(
    long Id, string Kind, string Status, JsonElement Payload, string? PageId, int Attempts, int MaxAttempts,
    DateTime RunAfter, string? LastError, DateTime CreatedAt, DateTime UpdatedAt, DateTime? CompletedAt);

public static class JobsApi
{
    public static IEndpointRouteBuilder MapJobsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/jobs").RequireRole(WorkspaceRole.Admin).WithTags("Jobs");
        group.MapGet("/", ListAsync).WithSummary("Background jobs, newest first; status=dead lists dead letters with reasons");
        group.MapGet("/{id:long}", GetAsync).WithSummary("One job");
        group.MapPost("/{id:long}/replay", ReplayAsync).WithSummary("Run a dead or parked job again from its first attempt");
        return app;
    }

    internal static async Task<Results<Ok<PagedList<JobDto>>, ValidationProblem>> ListAsync(
        Caller caller, LeadwireDbContext db, string? status, string? kind, string? limit, string? cursor, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        var take = LeadsApi.ParseLimit(limit, errors);
        JobStatus? wanted = null;
        if (!string.IsNullOrEmpty(status))
        {
            if (Enum.TryParse<JobStatus>(status, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed))
            {
                wanted = parsed;
            }
            else
            {
                errors["status"] = ["status is one of pending, running, succeeded, parked, dead."];
            }
        }
        long before = 0;
        if (cursor is not null && !Cursor.TryDecode(cursor, out before))
        {
            errors["cursor"] = ["The cursor is not one this API returned."];
        }
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var query = db.Jobs.AsNoTracking().VisibleTo(caller, db);
        if (wanted is { } w)
        {
            query = query.Where(j => j.Status == w);
        }
        if (!string.IsNullOrEmpty(kind))
        {
            query = query.Where(j => j.Kind == kind);
        }
        if (cursor is not null)
        {
            query = query.Where(j => j.Id < before);
        }
        var rows = await query.OrderByDescending(j => j.Id).Take(take + 1).ToListAsync(cancellationToken);
        var pageIds = await PageIdsAsync(db, rows, cancellationToken);
        var next = rows.Count > take ? Cursor.Encode(rows[take - 1].Id) : null;
        return TypedResults.Ok(new PagedList<JobDto>(rows.Take(take).Select(j => j.ToDto(pageIds)).ToList(), next));
    }

    internal static async Task<Results<Ok<JobDto>, NotFound>> GetAsync(long id, Caller caller, LeadwireDbContext db, CancellationToken cancellationToken)
    {
        var job = await db.Jobs.AsNoTracking().VisibleTo(caller, db).SingleOrDefaultAsync(j => j.Id == id, cancellationToken);
        if (job is null)
        {
            return TypedResults.NotFound();
        }
        return TypedResults.Ok(job.ToDto(await PageIdsAsync(db, [job], cancellationToken)));
    }

    internal static async Task<Results<Accepted<JobDto>, NotFound, ProblemHttpResult>> ReplayAsync(
        long id, Caller caller, LeadwireDbContext db, WriteGate gate, JobSignal signal, TimeProvider time, CancellationToken cancellationToken)
    {
        if (!await db.Jobs.VisibleTo(caller, db).AnyAsync(j => j.Id == id, cancellationToken))
        {
            return TypedResults.NotFound();
        }
        var now = time.GetUtcNow().UtcDateTime;
        int replayed;
        using (await gate.EnterAsync(cancellationToken))
        {
            replayed = await db.Jobs
            .Where(j => j.Id == id && (j.Status == JobStatus.Dead || j.Status == JobStatus.Parked))
            .ExecuteUpdateAsync(s => s
                .SetProperty(j => j.Status, JobStatus.Pending)
                .SetProperty(j => j.Attempts, 0)
                .SetProperty(j => j.RunAfter, now)
                .SetProperty(j => j.CompletedAt, (DateTime?)null)
                .SetProperty(j => j.UpdatedAt, now), cancellationToken);
        }

        var job = await db.Jobs.AsNoTracking().SingleOrDefaultAsync(j => j.Id == id, cancellationToken);
        if (job is null)
        {
            return TypedResults.NotFound();
        }
        if (replayed == 0)
        {
            return TypedResults.Problem(
                title: "Job cannot be replayed",
                detail: $"Job {id} is {job.Status.ToString().ToLowerInvariant()}; only dead or parked jobs can be replayed.",
                statusCode: StatusCodes.Status409Conflict);
        }
        signal.Wake();
        return TypedResults.Accepted($"/api/v1/jobs/{id}", job.ToDto(await PageIdsAsync(db, [job], cancellationToken)));
    }

    private static async Task<Dictionary<long, string>> PageIdsAsync(LeadwireDbContext db, IReadOnlyCollection<Job> jobs, CancellationToken cancellationToken)
    {
        var ids = jobs.Where(j => j.PageId is not null).Select(j => j.PageId!.Value).Distinct().ToList();
        return ids.Count == 0
            ? []
            : await db.Pages.Where(p => ids.Contains(p.Id)).ToDictionaryAsync(p => p.Id, p => p.MetaPageId, cancellationToken);
    }

    private static JobDto ToDto(this Job job, Dictionary<long, string> pageIds) => new(
        job.Id,
        job.Kind,
        job.Status.ToString().ToLowerInvariant(),
        JsonDocument.Parse(job.Payload).RootElement.Clone(),
        job.PageId is { } p && pageIds.TryGetValue(p, out var meta) ? meta : null,
        job.Attempts,
        job.MaxAttempts,
        job.RunAfter,
        job.LastError,
        job.CreatedAt,
        job.UpdatedAt,
        job.CompletedAt);
}
