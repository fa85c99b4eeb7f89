using System.Globalization;
using Leadwire.Data;
using Leadwire.Features.Audit;
using Leadwire.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Leadwire.Features.Accounts;

public sealed record LoginRequest(string? Email, string? Password);

public sealed record ChangePasswordRequest(string? CurrentPassword, string? NewPassword);

public sealed record UserDto(long Id, string Email, string? DisplayName, bool HasPassword, DateTime CreatedAt, DateTime? LastSignInAt);

public sealed record MembershipDto(long WorkspaceId, string Name, string Role);

public sealed record SignedInDto(UserDto User, IReadOnlyList<MembershipDto> Workspaces);

public sealed record CurrentWorkspaceDto(long Id, string Name, string Role);

/// <summary><c>authenticated_by</c> is cookie, api_token or bootstrap_token; <c>workspace</c> is null for a user in none.</summary>
public sealed record MeDto(UserDto User, string AuthenticatedBy, CurrentWorkspaceDto? Workspace, IReadOnlyList<MembershipDto> Memberships);

/// <summary>Sign-in with email and password (the <c>leadwire.session</c> cookie), sign-out, and the signed-in user.</summary>
public static class AuthApi
{
    public static IEndpointRouteBuilder MapAuthApi(this IEndpointRouteBuilder app)
    {
        var auth = app.MapGroup("/api/v1/auth").WithTags("Accounts");
        auth.MapPost("/login", LoginAsync).AllowAnonymous().RequireRateLimiting(LeadwireSetup.LoginRateLimit)
            .WithSummary("Sign in with email and password; sets the leadwire.session cookie");
        auth.MapPost("/logout", LogoutAsync).RequireAuthorization().WithSummary("Sign out (clears the session cookie)");

        var me = app.MapGroup("/api/v1/me").WithTags("Accounts").RequireAuthorization();
        me.MapGet("/", MeAsync).WithSummary("The signed-in user, the current workspace and role, and all memberships");
        // Rate-limited like sign-in: a wrong current password does not count toward lockout, so this bounds guessing.
        me.MapPut("/password", ChangePasswordAsync).RequireRateLimiting(LeadwireSetup.LoginRateLimit)
            .WithSummary("Change your password (or set the first one of an account that has none)");
        return app;
    }

    internal static async Task<Results<Ok<SignedInDto>, ValidationProblem, ProblemHttpResult>> LoginAsync(
        LoginRequest request, HttpContext http, UserManager<UserAccount> users, SignInManager<UserAccount> signIn,
        LeadwireDbContext db, WriteGate gate, AuditLog audit, TimeProvider time, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(request.Email) || request.Email.Length > 256)
        {
            errors["email"] = ["email is required (at most 256 characters)."];
        }
        if (string.IsNullOrEmpty(request.Password) || request.Password.Length > 1024)
        {
            errors["password"] = ["password is required (at most 1024 characters)."];
        }
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }
        var email = request.Email!.Trim();
        var password = request.Password!;

        var user = await users.FindByEmailAsync(email);
        if (user is null)
        {
            // The same hashing work a real check does, so the answer's timing does not tell which emails have accounts.
            users.PasswordHasher.HashPassword(new UserAccount { Email = email, NormalizedEmail = "", SecurityStamp = "" }, password);
            using (await gate.EnterAsync(cancellationToken))
            {
                audit.Record(db, null, "anonymous", null, "user.sign_in_failed", "user", null, new { email, reason = "unknown_email" });
                await db.SaveChangesAsync(cancellationToken);
            }
            return BadCredentials();
        }

        SignInResult result;
        List<MembershipDto> workspaces;
        using (await gate.EnterAsync(cancellationToken))
        {
            // Read again under the gate, so concurrent attempts count every failure rather than overwrite each other's.
            await db.Entry(user).ReloadAsync(cancellationToken);
            // Identity counts the failure and locks the account at the fifth; those writes go through the gate too.
            result = await signIn.PasswordSignInAsync(user, password, isPersistent: true, lockoutOnFailure: true);
            workspaces = await MembershipsAsync(db, user.Id, null, cancellationToken);
            if (result.Succeeded)
            {
                user.LastSignInAt = time.GetUtcNow().UtcDateTime;
                // Once per workspace, so each workspace's owners see their members' sign-ins in their own audit log.
                foreach (var workspace in workspaces.DefaultIfEmpty())
                {
                    audit.Record(db, user.Id, user.Email, workspace?.WorkspaceId, "user.signed_in", "user", Id(user.Id));
                }
            }
            else
            {
                audit.Record(db, user.Id, user.Email, null, "user.sign_in_failed", "user", Id(user.Id),
                    new { email, reason = result.IsLockedOut ? "locked_out" : "bad_password" });
            }
            await db.SaveChangesAsync(cancellationToken);
        }

        if (result.IsLockedOut)
        {
            return LockedOut(http, await users.GetLockoutEndDateAsync(user), time);
        }
        if (!result.Succeeded)
        {
            return BadCredentials();
        }
        return TypedResults.Ok(new SignedInDto(user.ToDto(), workspaces));
    }

    private static ProblemHttpResult BadCredentials() => TypedResults.Problem(
        title: "Sign-in failed",
        detail: "The email or password is not correct.",
        statusCode: StatusCodes.Status401Unauthorized);

    /// <summary>
    /// 423 Locked with Retry-After: the account (not the client) is locked, and the lock ends at a known time. The
    /// per-address rate limit answers 429 instead.
    /// </summary>
    private static ProblemHttpResult LockedOut(HttpContext http, DateTimeOffset? lockoutEnd, TimeProvider time)
    {
        var until = lockoutEnd ?? time.GetUtcNow();
        var seconds = Math.Max(1, (long)Math.Ceiling((until - time.GetUtcNow()).TotalSeconds));
        http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        return TypedResults.Problem(
            title: "Account locked",
            detail: $"Too many failed sign-ins. Try again after {until.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ} (in {Math.Ceiling(seconds / 60.0)} minutes).",
            statusCode: StatusCodes.Status423Locked,
            extensions: new Dictionary<string, object?> { ["locked_until"] = until.UtcDateTime, ["retry_after_seconds"] = seconds });
    }

    internal static async Task<NoContent> LogoutAsync(SignInManager<UserAccount> signIn)
    {
        await signIn.SignOutAsync();
        return TypedResults.NoContent();
    }

    internal static async Task<Ok<MeDto>> MeAsync(HttpContext http, LeadwireDbContext db, CancellationToken cancellationToken)
    {
        var userId = SignedInUser.Id(http.User);
        var user = await db.Users.AsNoTracking().SingleAsync(u => u.Id == userId, cancellationToken);
        var memberships = await MembershipsAsync(db, userId, SignedInUser.TokenWorkspace(http.User), cancellationToken);
        var caller = http.Features.Get<Caller>();
        var current = caller is null
            ? null
            : memberships.Where(m => m.WorkspaceId == caller.WorkspaceId).Select(m => new CurrentWorkspaceDto(m.WorkspaceId, m.Name, m.Role)).SingleOrDefault();
        var credential = SignedInUser.Credential(http.User) switch
        {
            CredentialKind.ApiToken => "api_token",
            CredentialKind.BootstrapToken => "bootstrap_token",
            _ => "cookie",
        };
        return TypedResults.Ok(new MeDto(user.ToDto(), credential, current, memberships));
    }

    internal static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> ChangePasswordAsync(
        ChangePasswordRequest request, HttpContext http, UserManager<UserAccount> users, SignInManager<UserAccount> signIn,
        LeadwireDbContext db, WriteGate gate, AuditLog audit, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(request.NewPassword) || request.NewPassword.Length > 1024)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["new_password"] = ["new_password is required (at most 1024 characters)."] });
        }

        var credential = SignedInUser.Credential(http.User);
        var user = await users.FindByIdAsync(SignedInUser.Id(http.User).ToString(CultureInfo.InvariantCulture));
        if (user is null)
        {
            return TypedResults.Problem(title: "Unknown user", detail: "The signed-in account no longer exists.", statusCode: StatusCodes.Status401Unauthorized);
        }

        IdentityResult result;
        var first = !await users.HasPasswordAsync(user);
        using (await gate.EnterAsync(cancellationToken))
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            if (first)
            {
                // An account without a password (the bootstrap owner) gets its first one from whoever holds its session
                // or the installation's bootstrap token, never through a per-user API token that may have leaked.
                if (credential == CredentialKind.ApiToken)
                {
                    return TypedResults.Problem(
                        title: "Forbidden",
                        detail: "This account has no password yet; set the first one with the bootstrap token, not an API token.",
                        statusCode: StatusCodes.Status403Forbidden);
                }
                result = await users.AddPasswordAsync(user, request.NewPassword);
            }
            else
            {
                if (string.IsNullOrEmpty(request.CurrentPassword))
                {
                    return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["current_password"] = ["current_password is required to change a password."] });
                }
                result = await users.ChangePasswordAsync(user, request.CurrentPassword, request.NewPassword);
            }
            if (!result.Succeeded)
            {
                return AccountProblems.Unprocessable(result, "new_password");
            }
            audit.Record(db, user.Id, user.Email, http.Features.Get<Caller>()?.WorkspaceId, first ? "user.password_set" : "user.password_changed", "user", Id(user.Id));
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        // A new password changes the security stamp, which ends other sessions; this one is re-issued so it carries on.
        if (credential == CredentialKind.Cookie)
        {
            await signIn.RefreshSignInAsync(user);
        }
        return TypedResults.NoContent();
    }

    /// <summary>The user's workspaces with their role; only the token's own workspace when asked through an API token.</summary>
    internal static Task<List<MembershipDto>> MembershipsAsync(LeadwireDbContext db, long userId, long? onlyWorkspace, CancellationToken cancellationToken) =>
        (from m in db.Memberships
         join w in db.Workspaces on m.WorkspaceId equals w.Id
         where m.UserId == userId && (onlyWorkspace == null || m.WorkspaceId == onlyWorkspace)
         orderby w.Id
         select new { w.Id, w.Name, m.Role })
        .AsNoTracking()
        .Select(x => new MembershipDto(x.Id, x.Name, x.Role == WorkspaceRole.Owner ? "owner" : x.Role == WorkspaceRole.Admin ? "admin" : "agent"))
        .ToListAsync(cancellationToken);

    internal static UserDto ToDto(this UserAccount user) =>
        new(user.Id, user.Email, user.DisplayName, user.PasswordHash is not null, user.CreatedAt, user.LastSignInAt);

    internal static string Id(long id) => id.ToString(CultureInfo.InvariantCulture);
}
