using System.Globalization;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Leadwire.Data;
using Leadwire.Features.Accounts;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Leadwire.Infrastructure;

/// <summary>
/// <c>Authorization: Bearer …</c>: a user's API token (acting in its one workspace), or the bootstrap API token,
/// which acts as the first account (see <see cref="Features.Accounts.AccountBootstrap"/>). Tokens are compared as
/// digests; a token is never logged.
/// </summary>
public sealed class BearerTokenAuthentication(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    ApiTokens tokens,
    ApiTokenService userTokens,
    LeadwireDbContext db,
    IProblemDetailsService problems) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "Bearer";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return AuthenticateResult.NoResult();
        }

        var presented = header["Bearer ".Length..].Trim();
        if (tokens.IsBootstrapToken(presented))
        {
            var first = await db.Users.AsNoTracking().OrderBy(u => u.Id).Select(u => new { u.Id, u.Email }).FirstOrDefaultAsync(Context.RequestAborted);
            if (first is null)
            {
                return AuthenticateResult.Fail("No account exists yet for the bootstrap token to act as.");
            }
            return Success(first.Id, "bootstrap token", new Claim(LeadwireClaims.Bootstrap, "true"));
        }

        var token = await userTokens.FindAsync(db, presented, Context.RequestAborted);
        if (token is null)
        {
            return AuthenticateResult.Fail("Invalid API token.");
        }
        var email = await db.Users.Where(u => u.Id == token.UserId).Select(u => u.Email).SingleAsync(Context.RequestAborted);
        return Success(token.UserId, email,
            new Claim(LeadwireClaims.WorkspaceId, token.WorkspaceId.ToString(CultureInfo.InvariantCulture)),
            new Claim(LeadwireClaims.ApiTokenId, token.Id.ToString(CultureInfo.InvariantCulture)));
    }

    private static AuthenticateResult Success(long userId, string label, params Claim[] extra)
    {
        var identity = new ClaimsIdentity(
            [new Claim(LeadwireClaims.UserId, userId.ToString(CultureInfo.InvariantCulture)), new Claim(ClaimTypes.Name, label), .. extra], SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Bearer";
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = Context,
            ProblemDetails = new ProblemDetails
            {
                Status = StatusCodes.Status401Unauthorized,
                Title = "Unauthorized",
                Detail = "Send a valid API token as 'Authorization: Bearer <token>'.",
            },
        });
    }

    protected override async Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status403Forbidden;
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = Context,
            ProblemDetails = new ProblemDetails { Status = StatusCodes.Status403Forbidden, Title = "Forbidden" },
        });
    }
}

/// <summary>The accepted API tokens, held only as SHA-256 digests.</summary>
public sealed class ApiTokens
{
    private readonly byte[]? _bootstrapDigest;

    public ApiTokens(IOptions<BootstrapOptions> bootstrap, DemoState demo, IOptions<DemoOptions> demoOptions)
    {
        var token = bootstrap.Value.ApiToken;
        if (string.IsNullOrEmpty(token) && demo.Enabled)
        {
            token = demoOptions.Value.ApiToken;
        }
        _bootstrapDigest = string.IsNullOrEmpty(token) ? null : SHA256.HashData(Encoding.UTF8.GetBytes(token));
    }

    public bool HasBootstrapToken => _bootstrapDigest is not null;

    public bool IsBootstrapToken(string presented) =>
        _bootstrapDigest is not null
        && CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(presented)), _bootstrapDigest);
}

/// <summary>Whether this process runs in demo mode (emulator in-process, no Meta account).</summary>
public sealed record DemoState(bool Enabled);
