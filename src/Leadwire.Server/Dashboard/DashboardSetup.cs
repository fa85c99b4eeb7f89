using Leadwire.Features.Accounts;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;

namespace Leadwire.Dashboard;

/// <summary>
/// The dashboard: Blazor components rendered by this server (static where a page is a form, interactive over the
/// circuit where it must be live), on the same services the REST API uses.
/// </summary>
public static class DashboardSetup
{
    /// <summary>Cookie holding the workspace the dashboard acts in; the switcher sets it.</summary>
    public const string WorkspaceCookie = "leadwire.workspace";

    public static WebApplicationBuilder AddDashboard(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        // The stylesheet and blazor.web.js are static web assets: in a published app they sit in wwwroot; run from a
        // build's output (dotnet run, the tests, the benchmark) they are found through the build's manifest, which
        // ASP.NET Core reads only in Development unless asked to, as here. A published app has no manifest, so this
        // changes nothing there.
        builder.WebHost.UseStaticWebAssets();
        builder.Services.AddRazorComponents().AddInteractiveServerComponents();
        builder.Services.AddCascadingAuthenticationState();
        // First among the ProblemDetails writers, so a browser on a dashboard page gets words, not JSON.
        builder.Services.Insert(0, ServiceDescriptor.Singleton<IProblemDetailsWriter, DashboardProblemPage>());
        builder.Services.AddScoped<Workbench>();
        builder.Services.AddScoped<FirstRunSetup>();
        return builder;
    }

    /// <summary>
    /// Authenticates page requests (and the circuit's connection) with the sign-in cookie and adds the chosen
    /// workspace. Runs after authorization, which replaces the principal of a page that requires one. The API authenticates per
    /// endpoint through its policy and Meta's webhook POSTs not at all, so only the dashboard's own paths pay here.
    /// </summary>
    public static IApplicationBuilder UseDashboardSignIn(this IApplicationBuilder app) =>
        app.UseWhen(context => IsDashboardPath(context.Request.Path), branch => branch.Use(async (context, next) =>
        {
            // After authorization: a page's policy may have authenticated already (and replaced the principal).
            var principal = context.User.Identity?.IsAuthenticated == true
                ? context.User
                : (await context.AuthenticateAsync(IdentityConstants.ApplicationScheme)).Principal;
            if (principal?.Identity?.IsAuthenticated == true)
            {
                context.User = DashboardUser.WithChosenWorkspace(principal, context.Request.Cookies[WorkspaceCookie]);
            }
            await next(context);
        }));

    public static WebApplication MapDashboard(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapStaticAssets();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        app.MapDashboardForms();
        return app;
    }

    /// <summary>Everything but the API, Meta's webhooks, the demo endpoint and the OpenAPI document and docs.</summary>
    internal static bool IsDashboardPath(PathString path) =>
        !path.StartsWithSegments("/api") && !path.StartsWithSegments("/webhooks") && !path.StartsWithSegments("/openapi")
        && !path.StartsWithSegments("/docs") && !path.StartsWithSegments("/demo");
}
