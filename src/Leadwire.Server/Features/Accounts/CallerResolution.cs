using System.Globalization;
using Leadwire.Data;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Leadwire.Features.Accounts;

/// <summary>
/// Turns an authenticated user into a <see cref="Caller"/>: the workspace comes from the API token, else from the
/// <c>Leadwire-Workspace</c> header, else the dashboard's chosen workspace (a cookie), else the user's first workspace; the role is the user's membership there,
/// read on every request so a role change or removal takes effect at once. A workspace the user is not a member
/// of is refused with 403 — it never answers with its data.
/// </summary>
public sealed class CallerResolution(RequestDelegate next)
{
    public const string WorkspaceHeader = "Leadwire-Workspace";

    public async Task InvokeAsync(HttpContext context, IProblemDetailsService problems)
    {
        var principal = context.User;
        if (principal.Identity?.IsAuthenticated != true
            || !long.TryParse(principal.FindFirst(LeadwireClaims.UserId)?.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var userId))
        {
            await next(context);
            return;
        }

        long? requested = null;
        long? preferred = null;
        var tokenWorkspace = principal.FindFirst(LeadwireClaims.WorkspaceId)?.Value;
        var header = context.Request.Headers[WorkspaceHeader].ToString();
        if (tokenWorkspace is not null)
        {
            requested = long.Parse(tokenWorkspace, CultureInfo.InvariantCulture);
            if (header.Length > 0 && header != tokenWorkspace)
            {
                await RefuseAsync(context, problems, "This API token belongs to another workspace.");
                return;
            }
        }
        else if (header.Length > 0)
        {
            if (!long.TryParse(header, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
            {
                await RefuseAsync(context, problems, $"{WorkspaceHeader} must be a workspace id.", StatusCodes.Status400BadRequest);
                return;
            }
            requested = id;
        }
        else if (principal.FindFirst(LeadwireClaims.Bootstrap) is null
            && long.TryParse(context.Request.Cookies[Dashboard.DashboardSetup.WorkspaceCookie], NumberStyles.None, CultureInfo.InvariantCulture, out var chosen))
        {
            // The dashboard's workspace switcher, for what the browser fetches itself (downloads): only a preference,
            // so a membership that has since ended falls back to the first workspace instead of refusing.
            preferred = chosen;
        }

        // Resolved here, not as a parameter: anonymous requests (Meta's webhooks) must not pay for a DbContext.
        var db = context.RequestServices.GetRequiredService<LeadwireDbContext>();
        var memberships = db.Memberships.AsNoTracking().Where(m => m.UserId == userId);
        var membership = requested is { } workspaceId
            ? await memberships.SingleOrDefaultAsync(m => m.WorkspaceId == workspaceId, context.RequestAborted)
            : await memberships.OrderBy(m => m.WorkspaceId != preferred).ThenBy(m => m.WorkspaceId).FirstOrDefaultAsync(context.RequestAborted);

        if (membership is not null)
        {
            var tokenId = principal.FindFirst(LeadwireClaims.ApiTokenId)?.Value;
            context.Features.Set(new Caller(
                userId,
                principal.Identity.Name ?? $"user {userId}",
                membership.WorkspaceId,
                membership.Role,
                tokenId is null ? null : long.Parse(tokenId, CultureInfo.InvariantCulture),
                principal.HasClaim(c => c.Type == LeadwireClaims.Bootstrap)));
        }
        else if (requested is not null)
        {
            await RefuseAsync(context, problems, $"You are not a member of workspace {requested}.");
            return;
        }

        await next(context);
    }

    private static async Task RefuseAsync(HttpContext context, IProblemDetailsService problems, string detail, int status = StatusCodes.Status403Forbidden)
    {
        context.Response.StatusCode = status;
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = new ProblemDetails { Status = status, Title = status == 403 ? "Forbidden" : "Bad request", Detail = detail },
        });
    }
}
