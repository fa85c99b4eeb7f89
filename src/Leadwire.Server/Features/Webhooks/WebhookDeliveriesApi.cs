using System.Text;
using System.Text.Json;
using Leadwire.Data;
using Leadwire.Features.Accounts;
using Leadwire.Features.Jobs;
using Leadwire.Features.Leads;
using Leadwire.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Leadwire.Features.Webhooks;

/// <summary>A received delivery, raw body included (it holds ids only, never answers).</summary>
public sealed record WebhookDeliveryDto(long Id, DateTime ReceivedAt, string SignatureStatus, string Status, string? Error, int ChangeCount, DateTime? ProcessedAt, string Body);

public sealed record WebhookStatsDto(long Accepted, long RejectedSignature, long RejectedSize);

public static class WebhookDeliveriesApi
{
    public static IEndpointRouteBuilder MapWebhookDeliveriesApi(this IEndpointRouteBuilder app)
    {
        // Raw deliveries carry every workspace's leads: only the installation's operator (bootstrap token) reads them.
        var group = app.MapGroup("/api/v1/webhooks").RequireRole(WorkspaceRole.Owner).RequireInstallationOperator().WithTags("Webhooks");
        group.MapGet("/", ListAsync).WithSummary("Received Meta webhook deliveries, newest first");
        group.MapGet("/stats", (WebhookStats stats) => TypedResults.Ok(new WebhookStatsDto(stats.Accepted, stats.RejectedSignature, stats.RejectedSize)))
            .WithSummary("Deliveries accepted and turned away since this instance started");
        group.MapGet("/{id:long}", GetAsync).WithSummary("One delivery");
        group.MapPost("/{id:long}/replay", ReplayAsync).WithSummary("Process a stored delivery again (duplicates are harmless)");
        return app;
    }

    internal static async Task<Results<Ok<PagedList<WebhookDeliveryDto>>, ValidationProblem>> ListAsync(
        LeadwireDbContext db, string? status, string? limit, string? cursor, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        var take = LeadsApi.ParseLimit(limit, errors);
        WebhookDeliveryStatus? wanted = null;
        if (!string.IsNullOrEmpty(status))
        {
            if (Enum.TryParse<WebhookDeliveryStatus>(status, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed))
            {
                wanted = parsed;
            }
            else
            {
                errors["status"] = ["status is one of received, processed, dead."];
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

        var query = db.WebhookDeliveries.AsNoTracking();
        if (wanted is { } w)
        {
            query = query.Where(d => d.Status == w);
        }
        if (cursor is not null)
        {
            query = query.Where(d => d.Id < before);
        }
        var rows = await query.OrderByDescending(d => d.Id).Take(take + 1).ToListAsync(cancellationToken);
        var next = rows.Count > take ? Cursor.Encode(rows[take - 1].Id) : null;
        return TypedResults.Ok(new PagedList<WebhookDeliveryDto>(rows.Take(take).Select(ToDto).ToList(), next));
    }

    internal static async Task<Results<Ok<WebhookDeliveryDto>, NotFound>> GetAsync(long id, LeadwireDbContext db, CancellationToken cancellationToken)
    {
        var delivery = await db.WebhookDeliveries.AsNoTracking().SingleOrDefaultAsync(d => d.Id == id, cancellationToken);
        return delivery is null ? TypedResults.NotFound() : TypedResults.Ok(ToDto(delivery));
    }

    internal static async Task<Results<Accepted<JobDto>, NotFound>> ReplayAsync(
        long id, LeadwireDbContext db, WriteGate gate, JobEnqueuer queue, JobSignal signal, CancellationToken cancellationToken)
    {
        if (!await db.WebhookDeliveries.AnyAsync(d => d.Id == id, cancellationToken))
        {
            return TypedResults.NotFound();
        }
        var job = queue.Enqueue(db, ProcessWebhookDelivery.Kind, new ProcessWebhookDelivery.Payload([id]));
        using (await gate.EnterAsync(cancellationToken))
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        signal.Wake();
        return TypedResults.Accepted($"/api/v1/jobs/{job.Id}", new JobDto(
            job.Id, job.Kind, "pending", JsonDocument.Parse(job.Payload).RootElement.Clone(), null,
            0, job.MaxAttempts, job.RunAfter, null, job.CreatedAt, job.UpdatedAt, null));
    }

    private static WebhookDeliveryDto ToDto(WebhookDelivery d) => new(
        d.Id, d.ReceivedAt, d.SignatureStatus, d.Status.ToString().ToLowerInvariant(), d.Error, d.ChangeCount, d.ProcessedAt,
        Encoding.UTF8.GetString(d.Body));
}
