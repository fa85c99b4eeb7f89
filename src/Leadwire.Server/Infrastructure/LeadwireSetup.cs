using System.Text.Json;
using Leadwire.Data;
using Leadwire.Features.Jobs;
using Leadwire.Features.Leads;
using Leadwire.Features.Pages;
using Leadwire.Features.Reconciliation;
using Leadwire.Features.Webhooks;
using Leadwire.Meta;
using System.Threading.RateLimiting;
using Leadwire.Features.Accounts;
using Leadwire.Features.Audit;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.Options;

namespace Leadwire.Infrastructure;

/// <summary>The registrations behind each line of Program.cs.</summary>
public static class LeadwireSetup
{
    /// <summary>The authentication scheme of every signed-in endpoint: bearer token or sign-in cookie.</summary>
    public const string SignedInScheme = "Leadwire";

    /// <summary>Rate-limit policy of the sign-in endpoint.</summary>
    public const string LoginRateLimit = "login";

    public static WebApplicationBuilder AddLeadwireOptions(this WebApplicationBuilder builder)
    {
        Bind<MetaOptions>(builder, MetaOptions.Section);
        Bind<BootstrapOptions>(builder, BootstrapOptions.Section);
        Bind<WebhookOptions>(builder, WebhookOptions.Section);
        Bind<JobOptions>(builder, JobOptions.Section);
        Bind<ReconciliationOptions>(builder, ReconciliationOptions.Section);
        Bind<DemoOptions>(builder, DemoOptions.Section);
        builder.Services.AddSingleton<IValidateOptions<MetaOptions>, MetaOptionsValidator>();
        builder.Services.AddSingleton(TimeProvider.System);
        return builder;
    }

    public static WebApplicationBuilder AddApiPlatform(this WebApplicationBuilder builder)
    {
        builder.Services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
            o.SerializerOptions.DictionaryKeyPolicy = null;
        });
        builder.Services.AddProblemDetails();
        builder.Services.AddExceptionHandler<ProblemDetailsExceptionHandler>();
        builder.Services.AddSingleton<ApiTokens>();
        // No default authenticate scheme: endpoints that require authorization authenticate through their policy,
        // so anonymous hot paths (Meta's webhook POSTs) never pay for a credentials check they do not need. The
        // "Leadwire" scheme picks the bearer handler for Authorization headers and the sign-in cookie otherwise.
        builder.Services.AddAuthentication(o =>
            {
                o.DefaultChallengeScheme = BearerTokenAuthentication.SchemeName;
                o.DefaultForbidScheme = BearerTokenAuthentication.SchemeName;
                o.DefaultSignInScheme = IdentityConstants.ApplicationScheme;
            })
            .AddScheme<AuthenticationSchemeOptions, BearerTokenAuthentication>(BearerTokenAuthentication.SchemeName, null)
            .AddPolicyScheme(SignedInScheme, "Bearer token or sign-in cookie", o => o.ForwardDefaultSelector = context =>
                context.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
                    ? BearerTokenAuthentication.SchemeName
                    : IdentityConstants.ApplicationScheme)
            .AddCookie(IdentityConstants.ApplicationScheme, o =>
            {
                o.Cookie.Name = "leadwire.session";
                o.Cookie.HttpOnly = true;
                // Strict: a cross-site page can never make a browser send it, which is the API's CSRF defence.
                o.Cookie.SameSite = SameSiteMode.Strict;
                o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                o.ExpireTimeSpan = TimeSpan.FromDays(7);
                o.SlidingExpiration = true;
                // The API answers 401/403, never a redirect to a login page; the dashboard's pages send people to sign in.
                o.LoginPath = "/login";
                o.ReturnUrlParameter = "returnUrl";
                o.Events.OnRedirectToLogin = c =>
                {
                    if (Dashboard.DashboardSetup.IsDashboardPath(c.Request.Path))
                    {
                        c.Response.Redirect(c.RedirectUri);
                        return Task.CompletedTask;
                    }
                    c.Response.StatusCode = StatusCodes.Status401Unauthorized;
                    return Task.CompletedTask;
                };
                o.Events.OnRedirectToAccessDenied = c => { c.Response.StatusCode = StatusCodes.Status403Forbidden; return Task.CompletedTask; };
                o.Events.OnValidatePrincipal = SecurityStampValidator.ValidatePrincipalAsync;
            });
        builder.Services.AddAuthorizationBuilder()
            .SetDefaultPolicy(new AuthorizationPolicyBuilder(SignedInScheme).RequireAuthenticatedUser().Build());

        builder.Services.AddIdentityCore<UserAccount>(o =>
            {
                o.User.RequireUniqueEmail = true;
                o.Password.RequiredLength = 10;
                o.Password.RequireNonAlphanumeric = false;
                o.Password.RequireUppercase = false;
                o.Lockout.MaxFailedAccessAttempts = 5;
                o.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
                o.Lockout.AllowedForNewUsers = true;
            })
            .AddUserStore<UserStore>()
            .AddSignInManager()
            .AddDefaultTokenProviders();
        builder.Services.AddScoped<AccountBootstrap>();
        builder.Services.AddSingleton<ApiTokenService>();
        builder.Services.AddSingleton<AuditLog>();
        builder.Services.AddHttpContextAccessor();

        builder.Services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.OnRejected = async (context, cancellationToken) =>
            {
                if (Dashboard.DashboardSetup.IsDashboardPath(context.HttpContext.Request.Path))
                {
                    // A sign-in form posted too often: back to the page, which says so in words.
                    context.HttpContext.Response.Redirect("/login?error=too_many");
                    return;
                }
                var problems = context.HttpContext.RequestServices.GetRequiredService<IProblemDetailsService>();
                await problems.WriteAsync(new ProblemDetailsContext
                {
                    HttpContext = context.HttpContext,
                    ProblemDetails = new ProblemDetails
                    {
                        Status = StatusCodes.Status429TooManyRequests,
                        Title = "Too many attempts",
                        Detail = "Too many sign-in attempts from this address; wait a minute and try again.",
                    },
                });
            };
            // Sign-in attempts per client address: slows password guessing across accounts (lockout covers one account).
            o.AddPolicy(LoginRateLimit, context => RateLimitPartition.GetFixedWindowLimiter(
                context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = builder.Configuration.GetValue("Leadwire:Accounts:LoginAttemptsPerMinute", 10),
                    Window = TimeSpan.FromMinutes(1),
                    QueueLimit = 0,
                }));
        });
        builder.Services.AddOpenApi(o => o.AddDocumentTransformer<ApiDocumentDescription>());
        return builder;
    }

    public static WebApplicationBuilder AddSecretsProtection(this WebApplicationBuilder builder)
    {
        builder.Services.AddDataProtection().SetApplicationName("Leadwire");
        builder.Services.AddOptions<KeyManagementOptions>()
            .Configure<IServiceScopeFactory>((o, scopes) => o.XmlRepository = new DatabaseXmlRepository(scopes));
        builder.Services.AddSingleton<PageTokens>();
        builder.Services.AddSingleton<PageLookup>();
        return builder;
    }

    public static WebApplicationBuilder AddGraphClient(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<GraphRateGate>();
        builder.Services.AddHttpClient<GraphClient>((sp, http) =>
        {
            http.Timeout = TimeSpan.FromSeconds(sp.GetRequiredService<IOptions<MetaOptions>>().Value.RequestTimeoutSeconds);
        }).ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
        {
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            MaxConnectionsPerServer = 256,
        });
        return builder;
    }

    public static WebApplicationBuilder AddJobs(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<JobSignal>();
        builder.Services.AddSingleton<JobEnqueuer>();
        builder.Services.AddSingleton<JobCommitter>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<JobCommitter>());
        builder.Services.AddHostedService<JobRunner>();
        builder.Services.AddHostedService<RetentionSweeper>();
        builder.Services.AddHostedService<PostgresJobNotifications>();
        return builder;
    }

    public static WebApplicationBuilder AddLeadCapture(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<WebhookStats>();
        builder.Services.AddSingleton<WebhookInbox>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<WebhookInbox>());
        builder.Services.AddSingleton<IJobHandler, ProcessWebhookDelivery>();
        builder.Services.AddSingleton<IJobHandler, FetchLead>();
        return builder;
    }

    public static WebApplicationBuilder AddPages(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<FormSync>();
        builder.Services.AddScoped<PageRegistration>();
        builder.Services.AddSingleton<IJobHandler, SyncPageForms>();
        return builder;
    }

    public static WebApplicationBuilder AddReconciliation(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<IJobHandler, ReconcileForm>();
        builder.Services.AddSingleton<ReconciliationScheduler>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<ReconciliationScheduler>());
        return builder;
    }

    /// <summary>Applies pending migrations and makes sure the Data Protection key ring exists before traffic.</summary>
    public static async Task MigrateDatabaseAsync(this WebApplication app)
    {
        await using var scope = app.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<MigrationRunner>().MigrateAsync(app.Lifetime.ApplicationStopping);
        // Creating the first key now, not on the first token, keeps two fresh instances from each making their own.
        scope.ServiceProvider.GetRequiredService<PageTokens>().Protect("warm-up");
        try
        {
            await scope.ServiceProvider.GetRequiredService<AccountBootstrap>().RunAsync(app.Lifetime.ApplicationStopping);
        }
        catch (Microsoft.EntityFrameworkCore.DbUpdateException e) when (scope.ServiceProvider.GetRequiredService<DatabaseDialect>().IsUniqueViolation(e))
        {
            // Another instance starting at the same moment created the first account.
        }
    }

    private static void Bind<T>(WebApplicationBuilder builder, string section) where T : class =>
        builder.Services.AddOptions<T>().BindConfiguration(section).ValidateDataAnnotations().ValidateOnStart();
}

/// <summary>Meta settings are all or nothing: a partial set is a mistake, not demo mode.</summary>
internal sealed class MetaOptionsValidator(IOptions<DemoOptions> demo) : IValidateOptions<MetaOptions>
{
    public ValidateOptionsResult Validate(string? name, MetaOptions options)
    {
        if (options.IsConfigured)
        {
            return ValidateOptionsResult.Success;
        }
        if (options.IsEmpty && demo.Value.Enabled != false)
        {
            return ValidateOptionsResult.Success;
        }
        var missing = new[]
        {
            ("Leadwire:Meta:AppId", options.AppId),
            ("Leadwire:Meta:AppSecret", options.AppSecret),
            ("Leadwire:Meta:VerifyToken", options.VerifyToken),
        }.Where(s => string.IsNullOrWhiteSpace(s.Item2)).Select(s => s.Item1);
        return ValidateOptionsResult.Fail(
            $"Missing Meta settings: {string.Join(", ", missing)}. Set all three (Leadwire__Meta__AppId, Leadwire__Meta__AppSecret, Leadwire__Meta__VerifyToken), or none of them to run in demo mode.");
    }
}
