using Leadwire.Data;
using Leadwire.Features.Accounts;
using Leadwire.Features.Jobs;
using Leadwire.Meta;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Leadwire.Features.Pages;

public sealed record RegisterPageRequest(string? PageId, string? Name, string? AccessToken);

public sealed record FormDto(string FormId, string Name, string Status, string? Locale, DateTime SyncedAt, DateTime? ReconciledThrough, DateTime? LastReconciledAt);

/// <summary>A page in the API. The access token is write-only: it is never returned.</summary>
public sealed record PageDto(string PageId, string Name, string Status, string? StatusReason, DateTime CreatedAt, DateTime TokenUpdatedAt, DateTime? FormsSyncedAt, string? FormsSyncError, IReadOnlyList<FormDto> Forms);

public static class PagesApi
{
    public static IEndpointRouteBuilder MapPagesApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/pages").WithTags("Pages");
        group.MapPost("/", RegisterAsync).RequireRole(WorkspaceRole.Admin)
            .WithSummary("Register a page in the workspace (or give it a new token) and sync its forms");
        group.MapGet("/", ListAsync).RequireRole(WorkspaceRole.Agent).WithSummary("The workspace's pages and their forms");
        group.MapGet("/{pageId}", GetAsync).RequireRole(WorkspaceRole.Agent).WithSummary("One page and its forms");
        return app;
    }

    internal static async Task<Results<Created<PageDto>, Ok<PageDto>, ValidationProblem, ProblemHttpResult>> RegisterAsync(
        RegisterPageRequest request, Caller caller, PageRegistration registration, CancellationToken cancellationToken)
    {
        var errors = Validate(request);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var result = await registration.RegisterAsync(caller, request.PageId!.Trim(), request.Name!.Trim(), request.AccessToken!.Trim(), cancellationToken);
        return result switch
        {
            PageRegistration.Outcome.ClaimedElsewhere => TypedResults.Problem(
                title: "Page belongs to another workspace",
                detail: $"Page {request.PageId!.Trim()} is already connected to another workspace of this Leadwire. A page's leads go to one workspace: disconnect it there first.",
                statusCode: StatusCodes.Status409Conflict),
            PageRegistration.Outcome.Rejected rejected => TypedResults.Problem(
                title: "Meta rejected the access token",
                detail: rejected.Reason,
                statusCode: StatusCodes.Status422UnprocessableEntity),
            PageRegistration.Outcome.Saved { Created: true } saved => TypedResults.Created($"/api/v1/pages/{saved.Page.PageId}", saved.Page),
            PageRegistration.Outcome.Saved saved => TypedResults.Ok(saved.Page),
            _ => throw new InvalidOperationException("Unknown registration outcome."),
        };
    }

    internal static async Task<Ok<List<PageDto>>> ListAsync(Caller caller, LeadwireDbContext db, CancellationToken cancellationToken)
    {
        var pages = await db.Pages.AsNoTracking().Include(p => p.Forms)
            .Where(p => p.WorkspaceId == caller.WorkspaceId).OrderBy(p => p.Id).ToListAsync(cancellationToken);
        return TypedResults.Ok(pages.Select(p => p.ToDto(null)).ToList());
    }

    internal static async Task<Results<Ok<PageDto>, NotFound>> GetAsync(string pageId, Caller caller, LeadwireDbContext db, CancellationToken cancellationToken)
    {
        var page = await db.Pages.AsNoTracking().Include(p => p.Forms)
            .SingleOrDefaultAsync(p => p.MetaPageId == pageId && p.WorkspaceId == caller.WorkspaceId, cancellationToken);
        return page is null ? TypedResults.NotFound() : TypedResults.Ok(page.ToDto(null));
    }

    private static Dictionary<string, string[]> Validate(RegisterPageRequest request)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(request.PageId))
        {
            errors["page_id"] = ["page_id is required."];
        }
        else if (request.PageId.Trim().Length > 64 || !request.PageId.Trim().All(char.IsAsciiDigit))
        {
            errors["page_id"] = ["page_id is Meta's numeric page id (digits only, at most 64)."];
        }
        if (string.IsNullOrWhiteSpace(request.Name))
        {
            errors["name"] = ["name is required."];
        }
        else if (request.Name.Trim().Length > 256)
        {
            errors["name"] = ["name is at most 256 characters."];
        }
        if (string.IsNullOrWhiteSpace(request.AccessToken))
        {
            errors["access_token"] = ["access_token is required."];
        }
        else if (request.AccessToken.Trim().Length > 4096)
        {
            errors["access_token"] = ["access_token is at most 4096 characters."];
        }
        return errors;
    }

    internal static PageDto ToDto(this Page page, string? formsSyncError) => new(
        page.MetaPageId,
        page.Name,
        page.Status == PageStatus.Active ? "active" : "needs_reauth",
        page.StatusReason,
        page.CreatedAt,
        page.TokenUpdatedAt,
        page.FormsSyncedAt,
        formsSyncError,
        page.Forms.OrderBy(f => f.Id)
            .Select(f => new FormDto(f.MetaFormId, f.Name, f.Status, f.Locale, f.SyncedAt, f.ReconciledThrough, f.LastReconciledAt))
            .ToList());
}
