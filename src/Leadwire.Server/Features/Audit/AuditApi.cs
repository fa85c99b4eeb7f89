using System.Globalization;
using System.Text.Json;
using Leadwire.Data;
using Leadwire.Features.Accounts;
using Leadwire.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Leadwire.Features.Audit;

/// <summary>One audit line. <c>workspace_id</c> is null for events outside any workspace (a failed sign-in).</summary>
public sealed record AuditEntryDto(
    long Id, DateTime At, long? WorkspaceId, string Actor, long? ActorUserId, string Action, string? TargetType, string? TargetId,
    JsonElement? Details, string? IpAddress);

/// <summary>The audit log, for owners: who did what and when in their workspace.</summary>
public static class AuditApi
{
    public static IEndpointRouteBuilder MapAuditApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/audit", ListAsync).RequireRole(WorkspaceRole.Owner).WithTags("Audit log")
            .WithSummary("The workspace's audit log, newest first; filter by action, actor_user_id, since");
        return app;
    }

    internal static async Task<Results<Ok<PagedList<AuditEntryDto>>, ValidationProblem>> ListAsync(
        Caller caller, LeadwireDbContext db, string? action, string? actor_user_id, string? since, string? limit, string? cursor,
        CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        var take = ParseLimit(limit, errors);
        long? actor = null;
        if (!string.IsNullOrEmpty(actor_user_id))
        {
            if (long.TryParse(actor_user_id, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed))
            {
                actor = parsed;
            }
            else
            {
                errors["actor_user_id"] = ["actor_user_id is a user id (digits)."];
            }
        }
        DateTime? from = null;
        if (!string.IsNullOrEmpty(since))
        {
            if (DateTimeOffset.TryParse(since, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
            {
                from = parsed.UtcDateTime;
            }
            else
            {
                errors["since"] = ["Use an ISO-8601 date and time, e.g. 2026-01-31T00:00:00Z."];
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

        // The installation's operator (bootstrap token) also sees what belongs to no workspace, e.g. failed sign-ins.
        var query = caller.IsInstallationOperator
            ? db.AuditLog.Where(a => a.WorkspaceId == caller.WorkspaceId || a.WorkspaceId == null)
            : db.AuditLog.Where(a => a.WorkspaceId == caller.WorkspaceId);
        if (!string.IsNullOrEmpty(action))
        {
            query = query.Where(a => a.Action == action);
        }
        if (actor is { } a1)
        {
            query = query.Where(a => a.ActorUserId == a1);
        }
        if (from is { } f)
        {
            query = query.Where(a => a.At >= f);
        }
        if (cursor is not null)
        {
            query = query.Where(a => a.Id < before);
        }

        var rows = await query.AsNoTracking().OrderByDescending(a => a.Id).Take(take + 1).ToListAsync(cancellationToken);
        var next = rows.Count > take ? Cursor.Encode(rows[take - 1].Id) : null;
        return TypedResults.Ok(new PagedList<AuditEntryDto>(rows.Take(take).Select(ToDto).ToList(), next));
    }

    private static AuditEntryDto ToDto(AuditEntry a) => new(
        a.Id, a.At, a.WorkspaceId, a.Actor, a.ActorUserId, a.Action, a.TargetType, a.TargetId,
        a.Details is null ? null : JsonDocument.Parse(a.Details).RootElement.Clone(), a.IpAddress);

    private static int ParseLimit(string? limit, Dictionary<string, string[]> errors)
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
}
