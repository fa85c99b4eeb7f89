using System.Globalization;
using Leadwire.Data;
using Leadwire.Features.Accounts;
using Leadwire.Infrastructure;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Leadwire.Dashboard;

/// <summary>Who is looking at the dashboard, in which workspace, and how that workspace tells the time.</summary>
public sealed record DashboardContext(
    Caller Caller, string Email, string WorkspaceName, TimeZoneInfo Zone, IReadOnlyList<MembershipDto> Memberships, bool Demo)
{
    public bool IsAdmin => Caller.IsAtLeast(WorkspaceRole.Admin);

    public bool IsOwner => Caller.IsAtLeast(WorkspaceRole.Owner);

    /// <summary>A stored UTC time as the workspace's people read it.</summary>
    public string Local(DateTime? utc, string format = "yyyy-MM-dd HH:mm") => utc is { } value
        ? TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(value, DateTimeKind.Utc), Zone).ToString(format, CultureInfo.InvariantCulture)
        : "";
}

/// <summary>What a dashboard action came to: its value, or the error in words the person can act on.</summary>
public sealed record Outcome<T>(T? Value, string? Error)
{
    public bool Succeeded => Error is null;
}

/// <summary>
/// The dashboard's way into Leadwire's use cases. A circuit lives for as long as a browser tab, so nothing here holds a
/// DbContext: every read and every action gets a scope of its own, and the caller (workspace and role) is resolved
/// again for each action, so a role change or a removal takes effect at once, as it does for the API. Actions call the
/// same handlers as the REST API, so the rules, the audit log and the live events are the same whichever way a change
/// is made.
/// </summary>
public sealed class Workbench(AuthenticationStateProvider authentication, IServiceScopeFactory scopes, DemoState demo)
{
    public async Task<bool> IsSignedInAsync() =>
        (await authentication.GetAuthenticationStateAsync()).User.Identity?.IsAuthenticated == true;

    public async Task<DashboardContext?> ContextAsync(CancellationToken cancellationToken = default)
    {
        var principal = (await authentication.GetAuthenticationStateAsync()).User;
        if (principal.Identity?.IsAuthenticated != true)
        {
            return null;
        }
        var userId = SignedInUser.Id(principal);
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<LeadwireDbContext>();
        var memberships = await db.Memberships.AsNoTracking().Where(m => m.UserId == userId)
            .Join(db.Workspaces, m => m.WorkspaceId, w => w.Id, (m, w) => new { m.WorkspaceId, w.Name, w.TimeZone, m.Role })
            .OrderBy(m => m.WorkspaceId)
            .ToListAsync(cancellationToken);
        var chosen = DashboardUser.Chosen(principal);
        var current = memberships.FirstOrDefault(m => m.WorkspaceId == chosen) ?? memberships.FirstOrDefault();
        if (current is null)
        {
            return null;
        }
        var email = await db.Users.AsNoTracking().Where(u => u.Id == userId).Select(u => u.Email).SingleAsync(cancellationToken);
        var caller = new Caller(userId, email, current.WorkspaceId, current.Role, null, false);
        var zone = TimeZoneInfo.TryFindSystemTimeZoneById(current.TimeZone, out var found) ? found : TimeZoneInfo.Utc;
        return new DashboardContext(caller, email, current.Name, zone,
            memberships.Select(m => new MembershipDto(m.WorkspaceId, m.Name, m.Role.ToWire())).ToList(), demo.Enabled);
    }

    /// <summary>Reads with a DbContext of its own, as the current caller.</summary>
    public async Task<T> ReadAsync<T>(Func<Caller, LeadwireDbContext, IServiceProvider, Task<T>> read, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(read);
        var context = await ContextAsync(cancellationToken) ?? throw new InvalidOperationException("Not signed in to a workspace.");
        await using var scope = scopes.CreateAsyncScope();
        return await read(context.Caller, scope.ServiceProvider.GetRequiredService<LeadwireDbContext>(), scope.ServiceProvider);
    }

    /// <summary>Runs one of the API's handlers as the current caller and turns its typed result into an outcome.</summary>
    public async Task<Outcome<T>> RunAsync<T>(Func<Caller, LeadwireDbContext, IServiceProvider, Task<IResult>> action, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(action);
        var context = await ContextAsync(cancellationToken);
        if (context is null)
        {
            return new Outcome<T>(default, "Your session has ended or you are no longer a member of this workspace. Reload the page to sign in again.");
        }
        await using var scope = scopes.CreateAsyncScope();
        var result = await action(context.Caller, scope.ServiceProvider.GetRequiredService<LeadwireDbContext>(), scope.ServiceProvider);
        return Interpret<T>(result);
    }

    internal static Outcome<T> Interpret<T>(IResult result)
    {
        while (result is INestedHttpResult nested)
        {
            result = nested.Result;
        }
        return result switch
        {
            IValueHttpResult<T> value => new Outcome<T>(value.Value, null),
            ProblemHttpResult problem => new Outcome<T>(default, problem.ProblemDetails.Detail ?? problem.ProblemDetails.Title ?? "The change was refused."),
            ValidationProblem invalid => new Outcome<T>(default, string.Join(" ", invalid.ProblemDetails.Errors.SelectMany(e => e.Value))),
            NotFound => new Outcome<T>(default, "Not found: it may have been deleted, or it is not yours to see."),
            IStatusCodeHttpResult { StatusCode: >= 200 and < 300 } => new Outcome<T>(default, null),
            _ => new Outcome<T>(default, "The change could not be made."),
        };
    }
}
