using Leadwire.Data;

namespace Leadwire.Features.Accounts;

/// <summary>
/// <c>.RequireRole(WorkspaceRole.Admin)</c> on an endpoint or group: the caller must be signed in, acting in a
/// workspace, with at least that role. Answers 401 without credentials, 403 with too small a role, each as
/// ProblemDetails that says what is needed.
/// </summary>
public static class RoleRequirement
{
    public static TBuilder RequireRole<TBuilder>(this TBuilder builder, WorkspaceRole minimum)
        where TBuilder : IEndpointConventionBuilder
    {
        builder.RequireAuthorization();
        builder.AddEndpointFilter(async (context, next) =>
        {
            var caller = context.HttpContext.Features.Get<Caller>();
            if (caller is null)
            {
                return TypedResults.Problem(
                    title: "No workspace",
                    detail: "You are not a member of any workspace yet. Create one with POST /api/v1/workspaces.",
                    statusCode: StatusCodes.Status403Forbidden);
            }
            if (!caller.IsAtLeast(minimum))
            {
                return TypedResults.Problem(
                    title: "Forbidden",
                    detail: $"This needs the {minimum.ToString().ToLowerInvariant()} role or higher in the workspace; you are {caller.Role.ToString().ToLowerInvariant()}.",
                    statusCode: StatusCodes.Status403Forbidden);
            }
            return await next(context);
        });
        return builder;
    }
}

/// <summary>Query bounds every handler applies: nothing outside the caller's workspace, and agents see only their own leads.</summary>
public static class WorkspaceScope
{
    public static IQueryable<Lead> VisibleTo(this IQueryable<Lead> leads, Caller caller)
    {
        var scoped = leads.Where(l => l.WorkspaceId == caller.WorkspaceId);
        return caller.SeesOnlyOwnLeads ? scoped.Where(l => l.AssigneeUserId == caller.UserId) : scoped;
    }

    /// <summary>Jobs of the workspace's pages; the installation's operator sees every job.</summary>
    public static IQueryable<Job> VisibleTo(this IQueryable<Job> jobs, Caller caller, LeadwireDbContext db) =>
        caller.IsInstallationOperator
            ? jobs
            : jobs.Where(j => j.PageId != null && db.Pages.Any(p => p.Id == j.PageId && p.WorkspaceId == caller.WorkspaceId));

    /// <summary>Only the bootstrap token, which operates the whole installation, passes.</summary>
    public static TBuilder RequireInstallationOperator<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder
    {
        builder.AddEndpointFilter(async (context, next) =>
            context.HttpContext.Features.Get<Caller>() is { IsInstallationOperator: true }
                ? await next(context)
                : TypedResults.Problem(
                    title: "Forbidden",
                    detail: "Raw webhook deliveries hold every workspace's data; only the installation's bootstrap API token may read or replay them.",
                    statusCode: StatusCodes.Status403Forbidden));
        return builder;
    }
}
