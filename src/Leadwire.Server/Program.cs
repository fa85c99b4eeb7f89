using Leadwire.Dashboard;
using Leadwire.Data;
using Leadwire.Features.Accounts;
using Leadwire.Features.Bulk;
using Leadwire.Features.Demo;
using Leadwire.Features.Jobs;
using Leadwire.Features.Leads;
using Leadwire.Features.Live;
using Leadwire.Features.Pages;
using Leadwire.Features.Privacy;
using Leadwire.Features.Reconciliation;
using Leadwire.Features.Webhooks;
using Leadwire.Infrastructure;

var builder = WebApplication.CreateBuilder(args);

builder.AddLeadwireOptions();
builder.AddLeadwireDatabase();
builder.AddSecretsProtection();
builder.AddApiPlatform();
builder.AddGraphClient();
builder.AddJobs();
builder.AddLeadCapture();
builder.AddPages();
builder.AddReconciliation();
builder.AddBulk();
builder.AddLeadIntake();
builder.AddPrivacy();
builder.AddLiveEvents();
builder.AddDashboard();
await builder.AddDemoModeAsync();

var app = builder.Build();

await app.MigrateDatabaseAsync();

app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseRateLimiter();
app.UseAuthentication();
app.UseAuthorization();
app.UseDashboardSignIn();
app.UseAntiforgery();
app.UseMiddleware<CallerResolution>();

app.MapOpenApi();
app.UseSwaggerUI(o =>
{
    // Interactive docs at /docs, reading the document ASP.NET Core generates at /openapi/v1.json.
    o.RoutePrefix = "docs";
    o.SwaggerEndpoint("/openapi/v1.json", "Leadwire API v1");
    o.DocumentTitle = "Leadwire API";
});
app.MapMetaWebhooks();
app.MapLeadsApi();
app.MapBulkAndExportApi();
app.MapPagesApi();
app.MapReconciliationApi();
app.MapLeadIntake();
app.MapJobsApi();
app.MapWebhookDeliveriesApi();
app.MapDemo();
app.MapAccounts();
app.MapPrivacy();
app.MapLiveEvents();
app.MapDashboard();

await app.RunAsync();

/// <summary>The entry point, visible to WebApplicationFactory in tests.</summary>
public partial class Program;
