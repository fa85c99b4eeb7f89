using System.Text.Json;
using Leadwire.Data;
using Leadwire.Features.Audit;
using Leadwire.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Leadwire.Features.Accounts;

public sealed record CreateWorkspaceRequest(string? Name, string? TimeZone);

/// <summary>
/// Every field is optional; only those present change. <c>retention_days</c> distinguishes absent (unchanged) from
/// <c>null</c> (keep leads forever), hence a JSON element rather than an <c>int?</c>.
/// </summary>
public sealed record UpdateWorkspaceRequest(string? Name, string? TimeZone, int? FirstContactSlaMinutes, JsonElement RetentionDays);

public sealed record WorkspaceDto(
    long Id, string Name, string TimeZone, int FirstContactSlaMinutes, int? RetentionDays, string AssignmentMode,
    string Role, DateTime CreatedAt, DateTime UpdatedAt);

/// <summary>Creating workspaces, listing one's own, and the current workspace's settings.</summary>
public static class WorkspacesApi
{
    public const int MaxSlaMinutes = 10080;
    public const int MaxRetentionDays = 3650;

    public static IEndpointRouteBuilder MapWorkspacesApi(this IEndpointRouteBuilder app)
    {
        var all = app.MapGroup("/api/v1/workspaces").WithTags("Workspaces").RequireAuthorization();
        all.MapPost("/", CreateAsync).WithSummary("Create a workspace; you become its owner (not through an API token)");
        all.MapGet("/", ListAsync).WithSummary("The workspaces you belong to, with your role in each");
        all.MapGet("/{id:long}", GetByIdAsync).WithSummary("One of your workspaces");

        var current = app.MapGroup("/api/v1/workspace").WithTags("Workspaces");
        current.MapGet("/", GetCurrentAsync).RequireRole(WorkspaceRole.Agent).WithSummary("The current workspace (from the token or the Leadwire-Workspace header)");
        current.MapPatch("/", UpdateAsync).RequireRole(WorkspaceRole.Owner).WithSummary("Change the current workspace's name, time zone, first-contact SLA or retention");
        return app;
    }

    internal static async Task<Results<Created<WorkspaceDto>, ValidationProblem, ProblemHttpResult>> CreateAsync(
        CreateWorkspaceRequest request, HttpContext http, LeadwireDbContext db, WriteGate gate, AuditLog audit, TimeProvider time,
        CancellationToken cancellationToken)
    {
        if (SignedInUser.Credential(http.User) == CredentialKind.ApiToken)
        {
            return TypedResults.Problem(
                title: "Forbidden",
                detail: "An API token belongs to one workspace and cannot create others. Sign in, or use the bootstrap token.",
                statusCode: StatusCodes.Status403Forbidden);
        }
        var errors = new Dictionary<string, string[]>();
        var name = ValidName(request.Name, errors);
        var timeZone = request.TimeZone is null ? "UTC" : ValidTimeZone(request.TimeZone, errors);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var userId = SignedInUser.Id(http.User);
        var actor = await db.Users.Where(u => u.Id == userId).Select(u => u.Email).SingleAsync(cancellationToken);
        var now = time.GetUtcNow().UtcDateTime;
        var workspace = new Workspace { Name = name!, TimeZone = timeZone!, CreatedAt = now, UpdatedAt = now };
        await db.InWriteTransactionAsync(gate, async () =>
        {
            db.Workspaces.Add(workspace);
            await db.SaveChangesAsync(cancellationToken);
            db.Memberships.Add(new Membership { WorkspaceId = workspace.Id, UserId = userId, Role = WorkspaceRole.Owner, CreatedAt = now });
            audit.Record(db, userId, actor, workspace.Id, "workspace.created", "workspace", AuthApi.Id(workspace.Id), new { name, time_zone = timeZone });
        }, cancellationToken);
        return TypedResults.Created($"/api/v1/workspaces/{workspace.Id}", workspace.ToDto(WorkspaceRole.Owner));
    }

    internal static async Task<Results<Ok<PagedList<WorkspaceDto>>, ValidationProblem>> ListAsync(
        HttpContext http, LeadwireDbContext db, string? limit, string? cursor, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        var take = AccountProblems.ParseLimit(limit, errors);
        var after = AccountProblems.ParseIdCursor(cursor, errors);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }
        var userId = SignedInUser.Id(http.User);
        var only = SignedInUser.TokenWorkspace(http.User);
        var rows = await (from m in db.Memberships
                          join w in db.Workspaces on m.WorkspaceId equals w.Id
                          where m.UserId == userId && (only == null || w.Id == only) && (after == null || w.Id > after)
                          orderby w.Id
                          select new { Workspace = w, m.Role })
            .AsNoTracking().Take(take + 1).ToListAsync(cancellationToken);
        var next = rows.Count > take ? Cursor.Encode(rows[take - 1].Workspace.Id) : null;
        return TypedResults.Ok(new PagedList<WorkspaceDto>(rows.Take(take).Select(r => r.Workspace.ToDto(r.Role)).ToList(), next));
    }

    internal static async Task<Results<Ok<WorkspaceDto>, NotFound>> GetByIdAsync(long id, HttpContext http, LeadwireDbContext db, CancellationToken cancellationToken)
    {
        var userId = SignedInUser.Id(http.User);
        var only = SignedInUser.TokenWorkspace(http.User);
        var row = await (from m in db.Memberships
                         join w in db.Workspaces on m.WorkspaceId equals w.Id
                         where m.UserId == userId && w.Id == id && (only == null || w.Id == only)
                         select new { Workspace = w, m.Role })
            .AsNoTracking().SingleOrDefaultAsync(cancellationToken);
        return row is null ? TypedResults.NotFound() : TypedResults.Ok(row.Workspace.ToDto(row.Role));
    }

    internal static async Task<Ok<WorkspaceDto>> GetCurrentAsync(Caller caller, LeadwireDbContext db, CancellationToken cancellationToken)
    {
        var workspace = await db.Workspaces.AsNoTracking().SingleAsync(w => w.Id == caller.WorkspaceId, cancellationToken);
        return TypedResults.Ok(workspace.ToDto(caller.Role));
    }

    internal static async Task<Results<Ok<WorkspaceDto>, ValidationProblem>> UpdateAsync(
        UpdateWorkspaceRequest request, Caller caller, LeadwireDbContext db, WriteGate gate, AuditLog audit, TimeProvider time,
        CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        var name = request.Name is null ? null : ValidName(request.Name, errors);
        var timeZone = request.TimeZone is null ? null : ValidTimeZone(request.TimeZone, errors);
        if (request.FirstContactSlaMinutes is < 1 or > MaxSlaMinutes)
        {
            errors["first_contact_sla_minutes"] = [$"first_contact_sla_minutes is from 1 to {MaxSlaMinutes} (a week)."];
        }
        int? retentionDays = null;
        var retentionGiven = request.RetentionDays.ValueKind != JsonValueKind.Undefined;
        if (retentionGiven && request.RetentionDays.ValueKind != JsonValueKind.Null)
        {
            if (request.RetentionDays.ValueKind == JsonValueKind.Number && request.RetentionDays.TryGetInt32(out var days) && days is >= 1 and <= MaxRetentionDays)
            {
                retentionDays = days;
            }
            else
            {
                errors["retention_days"] = [$"retention_days is null (keep leads forever) or a whole number of days from 1 to {MaxRetentionDays}."];
            }
        }
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        Workspace workspace = null!;
        await db.InWriteTransactionAsync(gate, async () =>
        {
            workspace = await db.Workspaces.SingleAsync(w => w.Id == caller.WorkspaceId, cancellationToken);
            var changes = new Dictionary<string, object?>();
            if (name is not null && name != workspace.Name)
            {
                changes["name"] = new { from = workspace.Name, to = name };
                workspace.Name = name;
            }
            if (timeZone is not null && timeZone != workspace.TimeZone)
            {
                changes["time_zone"] = new { from = workspace.TimeZone, to = timeZone };
                workspace.TimeZone = timeZone;
            }
            if (request.FirstContactSlaMinutes is { } sla && sla != workspace.FirstContactSlaMinutes)
            {
                changes["first_contact_sla_minutes"] = new { from = workspace.FirstContactSlaMinutes, to = sla };
                workspace.FirstContactSlaMinutes = sla;
            }
            if (retentionGiven && retentionDays != workspace.RetentionDays)
            {
                changes["retention_days"] = new { from = workspace.RetentionDays, to = retentionDays };
                workspace.RetentionDays = retentionDays;
            }
            if (changes.Count > 0)
            {
                workspace.UpdatedAt = time.GetUtcNow().UtcDateTime;
                audit.Record(db, caller, "workspace.updated", "workspace", AuthApi.Id(workspace.Id), changes);
            }
        }, cancellationToken);
        return TypedResults.Ok(workspace.ToDto(caller.Role));
    }

    private static string? ValidName(string? name, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrWhiteSpace(name) || name.Trim().Length > 200)
        {
            errors["name"] = ["name is required (at most 200 characters)."];
            return null;
        }
        return name.Trim();
    }

    private static string? ValidTimeZone(string timeZone, Dictionary<string, string[]> errors)
    {
        var trimmed = timeZone.Trim();
        if (trimmed.Length is 0 or > 64 || !TimeZoneInfo.TryFindSystemTimeZoneById(trimmed, out _))
        {
            errors["time_zone"] = ["time_zone is an IANA time zone name, e.g. Europe/Istanbul or America/New_York."];
            return null;
        }
        return trimmed;
    }

    internal static WorkspaceDto ToDto(this Workspace w, WorkspaceRole role) => new(
        w.Id, w.Name, w.TimeZone, w.FirstContactSlaMinutes, w.RetentionDays,
        w.AssignmentMode == AssignmentMode.RoundRobin ? "round_robin" : "manual", role.ToWire(), w.CreatedAt, w.UpdatedAt);
}
