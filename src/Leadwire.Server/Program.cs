using Leadwire.Data;
using Leadwire.Features.Accounts;
using Leadwire.Features.Demo;
using Leadwire.Features.Home;
using Leadwire.Features.Jobs;
using Leadwire.Features.Leads;
using Leadwire.Features.Pages;
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
await builder.AddDemoModeAsync();

var app = builder.Build();

await app.MigrateDatabaseAsync();

app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseRateLimiter();
app.UseAuthentication();
app.UseAuthorization();
app.UseMiddleware<CallerResolution>();

app.MapOpenApi();
app.MapHomePage();
app.MapMetaWebhooks();
app.MapLeadsApi();
app.MapPagesApi();
app.MapReconciliationApi();
app.MapJobsApi();
app.MapWebhookDeliveriesApi();
app.MapDemo();

await app.RunAsync();

/// <summary>The entry point, visible to WebApplicationFactory in tests.</summary>
public partial class Program;
