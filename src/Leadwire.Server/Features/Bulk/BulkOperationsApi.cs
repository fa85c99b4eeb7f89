using System.Globalization;
using Leadwire.Data;
using Leadwire.Features.Accounts;
using Leadwire.Features.Audit;
using Leadwire.Features.Jobs;
using Leadwire.Features.Leads;
using Leadwire.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Leadwire.Features.Bulk;

/// <summary>
/// Bulk operations: accepted at once (202), run in the background in chunks, followed at
/// <c>GET /api/v1/bulk-operations/{id}</c>. An operation is its workspace's: any other workspace gets 404, and an
/// agent sees only their own operations.
/// </summary>
public static class BulkOperationsApi
{
    public static IEndpointRouteBuilder MapBulkOperationsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/bulk-operations").RequireRole(WorkspaceRole.Agent).WithTags("Bulk operations");
        group.MapPost("/", CreateAsync)
            .ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity)
            .WithSummary("Start a bulk action (status, assign, tag, untag, delete, restore, export) on lead ids or a filter");
        group.MapGet("/", ListAsync).WithSummary("Recent bulk operations, newest first");
        group.MapGet("/{id:long}", GetAsync).WithSummary("A bulk operation's progress: total, processed, failed, a sample of failures");
        group.MapGet("/{id:long}/download", DownloadAsync).RequireRole(WorkspaceRole.Admin)
            .WithSummary("The file of a finished bulk export");
        return app;
    }

    internal static async Task<Results<Accepted<BulkOperationDto>, ProblemHttpResult>> CreateAsync(
        BulkOperationRequest request, Caller caller, LeadwireDbContext db, WriteGate gate, JobEnqueuer jobs, JobSignal signal, TimeProvider time,
        IOptionsMonitor<BulkOptions> options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (plan, refusal) = await BulkRequestValidation.ValidateAsync(request, caller, db, options.CurrentValue, cancellationToken);
        if (refusal is not null)
        {
            return refusal;
        }
        if (plan!.LeadIds is null)
        {
            plan = plan with { ThroughLeadId = await db.Leads.MaxAsync(l => (long?)l.Id, cancellationToken) ?? 0 };
        }

        var operation = new BulkOperation
        {
            WorkspaceId = caller.WorkspaceId,
            CreatedByUserId = caller.UserId,
            CreatedBy = caller.Label,
            Kind = BulkPlan.Name(plan.Action),
            Status = BulkOperationStatus.Pending,
            RequestJson = plan.ToJson(),
            Total = plan.LeadIds?.Count ?? 0,
            CreatedAt = time.GetUtcNow().UtcDateTime,
        };
        // The operation and its job commit together: no operation without work to run it, no work without its operation.
        using (await gate.EnterAsync(cancellationToken))
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            db.BulkOperations.Add(operation);
            await db.SaveChangesAsync(cancellationToken);
            jobs.Enqueue(db, RunBulkOperation.Kind, new RunBulkOperation.Payload(operation.Id));
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        signal.Wake();
        return TypedResults.Accepted($"/api/v1/bulk-operations/{operation.Id.ToString(CultureInfo.InvariantCulture)}", operation.ToDto());
    }

    internal static async Task<Results<Ok<PagedList<BulkOperationDto>>, ValidationProblem>> ListAsync(
        Caller caller, LeadwireDbContext db, string? limit, string? cursor, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        var take = LeadsApi.ParseLimit(limit, errors);
        long before = 0;
        if (cursor is not null && !Cursor.TryDecode(cursor, out before))
        {
            errors["cursor"] = ["The cursor is not one this API returned."];
        }
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var query = Visible(db, caller);
        if (cursor is not null)
        {
            query = query.Where(b => b.Id < before);
        }
        var rows = await query.OrderByDescending(b => b.Id).Take(take + 1).ToListAsync(cancellationToken);
        var next = rows.Count > take ? Cursor.Encode(rows[take - 1].Id) : null;
        return TypedResults.Ok(new PagedList<BulkOperationDto>([.. rows.Take(take).Select(b => b.ToDto())], next));
    }

    internal static async Task<Results<Ok<BulkOperationDto>, NotFound>> GetAsync(long id, Caller caller, LeadwireDbContext db, CancellationToken cancellationToken)
    {
        var operation = await Visible(db, caller).SingleOrDefaultAsync(b => b.Id == id, cancellationToken);
        return operation is null ? TypedResults.NotFound() : TypedResults.Ok(operation.ToDto());
    }

    internal static async Task<Results<PhysicalFileHttpResult, NotFound, ProblemHttpResult>> DownloadAsync(
        long id, Caller caller, LeadwireDbContext db, WriteGate gate, AuditLog audit, BulkExportFiles files, CancellationToken cancellationToken)
    {
        var operation = await Visible(db, caller).SingleOrDefaultAsync(b => b.Id == id, cancellationToken);
        if (operation is null)
        {
            return TypedResults.NotFound();
        }
        if (operation.Kind != BulkPlan.Name(BulkAction.Export))
        {
            return TypedResults.Problem(
                title: "Not an export", detail: $"Bulk operation {id} is a {operation.Kind} operation; only exports have a file.", statusCode: StatusCodes.Status404NotFound);
        }
        if (operation.Status != BulkOperationStatus.Succeeded)
        {
            return TypedResults.Problem(
                title: "Export not ready",
                detail: $"Bulk export {id} is {operation.Status.ToString().ToLowerInvariant()}; the file can be downloaded once it has succeeded.",
                statusCode: StatusCodes.Status409Conflict);
        }
        if (files.PathOf(operation.ResultPath) is not { } path || !File.Exists(path))
        {
            return TypedResults.Problem(
                title: "Export file gone",
                detail: $"The file of bulk export {id} has been deleted (exports are kept for a limited time); run the export again.",
                statusCode: StatusCodes.Status410Gone);
        }

        await db.InWriteTransactionAsync(gate, () =>
        {
            audit.Record(db, caller, "leads.export_downloaded", "bulk_operation", id.ToString(CultureInfo.InvariantCulture));
            return Task.CompletedTask;
        }, cancellationToken);
        var name = $"leads-{operation.CreatedAt.ToString("yyyyMMdd-HHmm", CultureInfo.InvariantCulture)}{Path.GetExtension(path)}";
        return TypedResults.PhysicalFile(path, operation.ResultContentType ?? "application/octet-stream", name, enableRangeProcessing: true);
    }

    /// <summary>The workspace's operations; an agent's own only.</summary>
    private static IQueryable<BulkOperation> Visible(LeadwireDbContext db, Caller caller)
    {
        var query = db.BulkOperations.AsNoTracking().Where(b => b.WorkspaceId == caller.WorkspaceId);
        return caller.SeesOnlyOwnLeads ? query.Where(b => b.CreatedByUserId == caller.UserId) : query;
    }
}
