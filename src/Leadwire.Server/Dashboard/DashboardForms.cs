using System.Globalization;
using Leadwire.Data;
using Leadwire.Features.Accounts;
using Leadwire.Features.Audit;
using Leadwire.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Leadwire.Dashboard;

/// <summary>
/// The dashboard's plain HTML form posts: the ones that set or clear cookies (sign-in, sign-out, first-run setup,
/// the workspace switcher), which a circuit cannot do. Each answers with a redirect; form binding makes them check
/// the antiforgery token.
/// </summary>
public static class DashboardForms
{
    public static IEndpointRouteBuilder MapDashboardForms(this IEndpointRouteBuilder app)
    {
        var account = app.MapGroup("/account").ExcludeFromDescription();
        account.MapPost("/login", SignInAsync).AllowAnonymous().RequireRateLimiting(LeadwireSetup.LoginRateLimit);
        account.MapPost("/logout", SignOutAsync).AllowAnonymous();
        account.MapPost("/setup", SetupAsync).AllowAnonymous().RequireRateLimiting(LeadwireSetup.LoginRateLimit);
        account.MapPost("/workspace", SwitchWorkspaceAsync).AllowAnonymous();
        return app;
    }

    internal static async Task<RedirectHttpResult> SignInAsync(
        [FromForm(Name = "email")] string? email, [FromForm(Name = "password")] string? password, [FromForm(Name = "return_url")] string? returnUrl,
        HttpContext http, UserManager<UserAccount> users, SignInManager<UserAccount> signIn, LeadwireDbContext db, WriteGate gate, AuditLog audit,
        TimeProvider time, CancellationToken cancellationToken)
    {
        var result = await AuthApi.LoginAsync(new LoginRequest(email, password), http, users, signIn, db, gate, audit, time, cancellationToken);
        var back = LocalPath(returnUrl);
        return result.Result switch
        {
            Ok<SignedInDto> => TypedResults.LocalRedirect(back),
            ProblemHttpResult { StatusCode: StatusCodes.Status423Locked } => BackToLogin("locked", back),
            ValidationProblem => BackToLogin("missing", back),
            _ => BackToLogin("credentials", back),
        };
    }

    internal static async Task<RedirectHttpResult> SignOutAsync(SignInManager<UserAccount> signIn)
    {
        await signIn.SignOutAsync();
        return TypedResults.LocalRedirect("/login");
    }

    internal static async Task<RedirectHttpResult> SetupAsync(
        [FromForm(Name = "email")] string? email, [FromForm(Name = "password")] string? password,
        [FromForm(Name = "workspace_name")] string? workspaceName, [FromForm(Name = "time_zone")] string? timeZone,
        [FromForm(Name = "bootstrap_token")] string? bootstrapToken,
        FirstRunSetup setup, SignInManager<UserAccount> signIn, CancellationToken cancellationToken)
    {
        var (owner, errors) = await setup.CompleteAsync(new SetupForm(email, password, workspaceName, timeZone, bootstrapToken), cancellationToken);
        if (owner is null)
        {
            // Field names and messages only: never the password or the token back in a URL.
            var query = string.Join("&", errors.Select(e => $"error_{e.Key}={Uri.EscapeDataString(e.Value)}"));
            return TypedResults.LocalRedirect($"/setup?{query}");
        }
        await signIn.SignInAsync(owner, isPersistent: true);
        return TypedResults.LocalRedirect("/");
    }

    internal static async Task<RedirectHttpResult> SwitchWorkspaceAsync(
        [FromForm(Name = "workspace_id")] string? workspaceId, [FromForm(Name = "return_url")] string? returnUrl,
        HttpContext http, LeadwireDbContext db, CancellationToken cancellationToken)
    {
        var principal = http.User;
        if (principal.Identity?.IsAuthenticated != true)
        {
            return TypedResults.LocalRedirect("/login");
        }
        var userId = SignedInUser.Id(principal);
        if (long.TryParse(workspaceId, NumberStyles.None, CultureInfo.InvariantCulture, out var id)
            && await db.Memberships.AnyAsync(m => m.UserId == userId && m.WorkspaceId == id, cancellationToken))
        {
            http.Response.Cookies.Append(DashboardSetup.WorkspaceCookie, id.ToString(CultureInfo.InvariantCulture), new CookieOptions
            {
                HttpOnly = true,
                SameSite = SameSiteMode.Strict,
                Secure = http.Request.IsHttps,
                MaxAge = TimeSpan.FromDays(365),
                IsEssential = true,
            });
        }
        return TypedResults.LocalRedirect(LocalPath(returnUrl));
    }

    private static RedirectHttpResult BackToLogin(string error, string back) =>
        TypedResults.LocalRedirect($"/login?error={error}&returnUrl={Uri.EscapeDataString(back)}");

    /// <summary>Only a path on this server: a crafted link must not send someone elsewhere after signing in.</summary>
    internal static string LocalPath(string? url) =>
        url is { Length: > 0 } && url[0] == '/' && (url.Length == 1 || (url[1] != '/' && url[1] != '\\')) ? url : "/";
}
