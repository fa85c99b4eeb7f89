using System.Globalization;
using System.Security.Claims;
using Leadwire.Data;

namespace Leadwire.Features.Accounts;

/// <summary>How the current request proved who it is. API tokens are bound to one workspace; the others are not.</summary>
public enum CredentialKind
{
    Cookie,
    ApiToken,
    BootstrapToken,
}

/// <summary>
/// The signed-in user behind a request, for the few endpoints that work without a current workspace (a user who
/// belongs to none yet can still read <c>/me</c> and create one).
/// </summary>
public static class SignedInUser
{
    public static long Id(ClaimsPrincipal principal)
    {
        ArgumentNullException.ThrowIfNull(principal);
        return long.Parse(principal.FindFirst(LeadwireClaims.UserId)!.Value, CultureInfo.InvariantCulture);
    }

    public static CredentialKind Credential(ClaimsPrincipal principal)
    {
        ArgumentNullException.ThrowIfNull(principal);
        if (principal.HasClaim(c => c.Type == LeadwireClaims.Bootstrap))
        {
            return CredentialKind.BootstrapToken;
        }
        return principal.HasClaim(c => c.Type == LeadwireClaims.ApiTokenId) ? CredentialKind.ApiToken : CredentialKind.Cookie;
    }

    /// <summary>The one workspace an API token may act in, or null for other credentials.</summary>
    public static long? TokenWorkspace(ClaimsPrincipal principal)
    {
        ArgumentNullException.ThrowIfNull(principal);
        return principal.FindFirst(LeadwireClaims.WorkspaceId)?.Value is { } value ? long.Parse(value, CultureInfo.InvariantCulture) : null;
    }
}

/// <summary>Roles on the wire: lower-case words, never the enum's numbers.</summary>
public static class RoleNames
{
    public static string ToWire(this WorkspaceRole role) => role switch
    {
        WorkspaceRole.Owner => "owner",
        WorkspaceRole.Admin => "admin",
        _ => "agent",
    };

    public static bool TryParse(string? value, out WorkspaceRole role)
    {
        switch (value?.Trim().ToLowerInvariant())
        {
            case "owner":
                role = WorkspaceRole.Owner;
                return true;
            case "admin":
                role = WorkspaceRole.Admin;
                return true;
            case "agent":
                role = WorkspaceRole.Agent;
                return true;
            default:
                role = default;
                return false;
        }
    }

    public const string Allowed = "role is one of owner, admin, agent.";
}
