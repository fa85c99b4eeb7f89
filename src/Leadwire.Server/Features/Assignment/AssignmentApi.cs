using System.Globalization;
using Leadwire.Data;
using Leadwire.Features.Accounts;
using Leadwire.Features.Audit;
using Leadwire.Features.Scoring;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Leadwire.Features.Assignment;

/// <summary>An assignment rule as the API shows it, with Meta's page and form ids.</summary>
public sealed record AssignmentRuleDto(long Id, int Position, string? PageId, string? FormId, string? CampaignId, long AssigneeUserId, DateTime CreatedAt);

/// <summary>The workspace's assignment mode and its rules in the order they are tried.</summary>
public sealed record AssignmentSettingsDto(string Mode, IReadOnlyList<AssignmentRuleDto> Items);

/// <summary>"Leads from this page / form / campaign go to this member"; at least the assignee is required.</summary>
public sealed record CreateAssignmentRuleRequest(string? PageId, string? FormId, string? CampaignId, long? AssigneeUserId, int? Position);

public sealed record AssignmentModeRequest(string? Mode);

public sealed record AssignmentModeDto(string Mode);

/// <summary>Automatic assignment settings (PRODUCT.md C4), admins and owners only.</summary>
public static class AssignmentApi
{
    /// <summary>Every intake batch reads all of a workspace's rules; a few hundred is far more than any team needs.</summary>
    public const int MaxRules = 200;

    public const string ManualMode = "manual";
    public const string RoundRobinMode = "round_robin";

    public static IEndpointRouteBuilder MapAssignmentApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/assignment").RequireRole(WorkspaceRole.Admin).WithTags("Assignment");
        group.MapGet("/rules", ListAsync).WithSummary("The assignment mode and the rules, in the order they are tried");
        group.MapPost("/rules", CreateAsync)
            .ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity)
            .WithSummary("Add a rule: leads from a page, form and/or campaign go to a member");
        group.MapDelete("/rules/{id:long}", DeleteAsync).WithSummary("Delete a rule");
        group.MapPut("/mode", PutModeAsync)
            .ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity)
            .WithSummary("manual, or round_robin among the workspace's agents for leads no rule matches");
        return app;
    }

    public static string ModeName(AssignmentMode mode) => mode == AssignmentMode.RoundRobin ? RoundRobinMode : ManualMode;

    internal static async Task<Ok<AssignmentSettingsDto>> ListAsync(Caller caller, LeadwireDbContext db, CancellationToken cancellationToken)
    {
        var mode = await db.Workspaces.AsNoTracking().Where(w => w.Id == caller.WorkspaceId).Select(w => w.AssignmentMode).SingleOrDefaultAsync(cancellationToken);
        var rules = await db.AssignmentRules.AsNoTracking().Where(r => r.WorkspaceId == caller.WorkspaceId)
            .OrderBy(r => r.Position).ThenBy(r => r.Id)
            .Select(r => new AssignmentRuleDto(
                r.Id, r.Position,
                db.Pages.Where(p => p.Id == r.PageId).Select(p => p.MetaPageId).FirstOrDefault(),
                db.Forms.Where(f => f.Id == r.FormId).Select(f => f.MetaFormId).FirstOrDefault(),
                r.CampaignId, r.AssigneeUserId, r.CreatedAt))
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(new AssignmentSettingsDto(ModeName(mode), rules));
    }

    internal static async Task<IResult> CreateAsync(
        CreateAssignmentRuleRequest request, Caller caller, LeadwireDbContext db, WriteGate gate, AuditLog audit, TimeProvider time, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var pageId = Blank(request.PageId);
        var formId = Blank(request.FormId);
        var campaignId = Blank(request.CampaignId);

        long? page = null;
        if (pageId is not null)
        {
            page = await db.Pages.AsNoTracking().Where(p => p.MetaPageId == pageId && p.WorkspaceId == caller.WorkspaceId)
                .Select(p => (long?)p.Id).SingleOrDefaultAsync(cancellationToken);
            if (page is null)
            {
                errors["page_id"] = [$"Page {pageId} is not registered in this workspace."];
            }
        }
        long? form = null;
        if (formId is not null)
        {
            var found = await db.Forms.AsNoTracking().Where(f => f.MetaFormId == formId && f.Page!.WorkspaceId == caller.WorkspaceId)
                .Select(f => new { f.Id, f.PageId }).SingleOrDefaultAsync(cancellationToken);
            if (found is null)
            {
                errors["form_id"] = [$"Form {formId} is not on a page of this workspace."];
            }
            else if (page is not null && found.PageId != page)
            {
                errors["form_id"] = [$"Form {formId} is not on page {pageId}; the rule could never match."];
            }
            form = found?.Id;
        }
        if (campaignId is { Length: > 64 })
        {
            errors["campaign_id"] = ["Must be at most 64 characters (a Meta campaign id)."];
        }
        if (request.AssigneeUserId is not { } assignee)
        {
            errors["assignee_user_id"] = ["Required: the member who gets the matching leads."];
        }
        else if (!await db.Memberships.AnyAsync(m => m.WorkspaceId == caller.WorkspaceId && m.UserId == assignee, cancellationToken))
        {
            errors["assignee_user_id"] = [$"User {assignee} is not a member of this workspace."];
        }
        if (request.Position is < 0)
        {
            errors["position"] = ["Must be zero or more."];
        }
        var existing = await db.AssignmentRules.Where(r => r.WorkspaceId == caller.WorkspaceId).Select(r => r.Position).ToListAsync(cancellationToken);
        if (existing.Count >= MaxRules)
        {
            errors["rules"] = [$"A workspace can have at most {MaxRules} rules; delete one first."];
        }
        if (errors.Count > 0)
        {
            return FieldErrors.Unprocessable(errors);
        }

        var rule = new AssignmentRule
        {
            WorkspaceId = caller.WorkspaceId,
            // Lower positions are tried first; equal positions in the order the rules were made.
            Position = request.Position ?? (existing.Count == 0 ? 0 : existing.Max() + 1),
            PageId = page,
            FormId = form,
            CampaignId = campaignId,
            AssigneeUserId = request.AssigneeUserId!.Value,
            CreatedAt = time.GetUtcNow().UtcDateTime,
        };
        db.AssignmentRules.Add(rule);
        using (await gate.EnterAsync(cancellationToken))
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
            audit.Record(db, caller, "assignment.rule_created", "assignment_rule", Id(rule.Id),
                new { position = rule.Position, page_id = pageId, form_id = formId, campaign_id = campaignId, assignee_user_id = rule.AssigneeUserId });
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        var dto = new AssignmentRuleDto(rule.Id, rule.Position, pageId, formId, campaignId, rule.AssigneeUserId, rule.CreatedAt);
        return TypedResults.Created($"/api/v1/assignment/rules/{rule.Id}", dto);
    }

    internal static async Task<Results<NoContent, NotFound>> DeleteAsync(
        long id, Caller caller, LeadwireDbContext db, WriteGate gate, AuditLog audit, CancellationToken cancellationToken)
    {
        var rule = await db.AssignmentRules.SingleOrDefaultAsync(r => r.Id == id && r.WorkspaceId == caller.WorkspaceId, cancellationToken);
        if (rule is null)
        {
            return TypedResults.NotFound();
        }
        db.AssignmentRules.Remove(rule);
        audit.Record(db, caller, "assignment.rule_deleted", "assignment_rule", Id(rule.Id), new { assignee_user_id = rule.AssigneeUserId });
        using (await gate.EnterAsync(cancellationToken))
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        return TypedResults.NoContent();
    }

    internal static async Task<IResult> PutModeAsync(
        AssignmentModeRequest request, Caller caller, LeadwireDbContext db, WriteGate gate, AuditLog audit, TimeProvider time, CancellationToken cancellationToken)
    {
        AssignmentMode mode;
        switch (request.Mode?.Trim().ToLowerInvariant())
        {
            case ManualMode:
                mode = AssignmentMode.Manual;
                break;
            case RoundRobinMode:
                mode = AssignmentMode.RoundRobin;
                break;
            default:
                return FieldErrors.Unprocessable(new() { ["mode"] = [$"Must be {ManualMode} or {RoundRobinMode}."] });
        }

        var workspace = await db.Workspaces.SingleAsync(w => w.Id == caller.WorkspaceId, cancellationToken);
        if (workspace.AssignmentMode != mode)
        {
            audit.Record(db, caller, "assignment.mode_changed", "workspace", Id(workspace.Id),
                new { from = ModeName(workspace.AssignmentMode), to = ModeName(mode) });
            workspace.AssignmentMode = mode;
            workspace.UpdatedAt = time.GetUtcNow().UtcDateTime;
            using (await gate.EnterAsync(cancellationToken))
            {
                await db.SaveChangesAsync(cancellationToken);
            }
        }
        return TypedResults.Ok(new AssignmentModeDto(ModeName(mode)));
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static string Id(long id) => id.ToString(CultureInfo.InvariantCulture);
}
