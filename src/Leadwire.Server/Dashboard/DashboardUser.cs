using System.Globalization;
using System.Security.Claims;

namespace Leadwire.Dashboard;

/// <summary>
/// The dashboard's principal: the sign-in cookie's, plus the workspace the person last switched to (a cookie of
/// its own, so it survives sign-in and reaches the circuit, which has no request to read it from).
/// </summary>
public static class DashboardUser
{
    public const string ChosenWorkspace = "leadwire:dashboard_workspace";

    public static ClaimsPrincipal WithChosenWorkspace(ClaimsPrincipal principal, string? cookie)
    {
        ArgumentNullException.ThrowIfNull(principal);
        if (!long.TryParse(cookie, NumberStyles.None, CultureInfo.InvariantCulture, out var workspaceId))
        {
            return principal;
        }
        var chosen = new ClaimsIdentity([new Claim(ChosenWorkspace, workspaceId.ToString(CultureInfo.InvariantCulture))]);
        var combined = new ClaimsPrincipal(principal.Identities);
        combined.AddIdentity(chosen);
        return combined;
    }

    public static long? Chosen(ClaimsPrincipal principal) =>
        long.TryParse(principal?.FindFirst(ChosenWorkspace)?.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : null;
}
