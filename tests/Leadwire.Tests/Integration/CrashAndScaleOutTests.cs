using System.Net;
using System.Net.Http.Json;
using Leadwire.Data;
using Leadwire.Features.Leads;
using Leadwire.Infrastructure;
using Leadwire.MetaEmulator;
using Leadwire.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Leadwire.Tests.Integration;

/// <summary>
/// K3, K7 and "never loses a lead": real server processes killed with SIGKILL mid-work, and two processes sharing
/// one PostgreSQL. Every acknowledged lead ends up stored exactly once.
/// </summary>
public sealed class CrashAndScaleOutTests
{
    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Kill9_AfterAcknowledgingBeforeProcessing_EveryLeadStoredOnceAfterRestart(DatabaseProvider provider)
    {
        await using var emulator = await MetaEmulatorHost.StartAsync(CaptureScenario.EmulatorSettings());
        await using var database = await TestDatabase.CreateAsync(provider);
        var settings = LeadwireHost.DefaultSettings(database, emulator.BaseUrl);
        settings["Leadwire:Jobs:LeaseDuration"] = "00:00:03";
        var (page, form) = await CreatePageAndFormAsync(emulator);
        var leads = await emulator.Client.CreateLeadsBulkAsync(new BulkLeadsRequest { FormId = form.Id, Count = 300 });

        // Meta answers slowly, so when the kill comes some fetches are in flight and the rest still queued.
        await emulator.Client.AddFaultAsync(new FaultRequest { Match = "lead", LatencyMs = 2000, Count = 0 });
        var first = await ServerProcess.StartAsync(settings);
        await RegisterAsync(first, page);
        var acknowledged = 0;
        foreach (var chunk in leads.Ids.Chunk(25))
        {
            using var response = await PostSignedAsync(first.WebhookUrl, CaptureScenario.LeadgenBody(chunk.Select(id => (page.Id, form.Id, id))));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            acknowledged += chunk.Length;
        }
        Assert.Equal(300, acknowledged);
        await Eventually.ReturnsAsync(() => CountAsync(database, db => db.Jobs.CountAsync(j => j.Kind == FetchLead.Kind && j.Status == JobStatus.Running)),
            running => running > 0, TimeSpan.FromSeconds(20), "fetches to be in flight");

        await first.KillAsync();
        var storedBeforeCrash = await CountAsync(database, db => db.Leads.CountAsync());
        Assert.True(storedBeforeCrash < 300, $"the crash must interrupt work, but {storedBeforeCrash} leads were already stored");

        await emulator.Client.ClearFaultsAsync();
        await using var second = await ServerProcess.StartAsync(settings);
        await Eventually.ReturnsAsync(() => CountAsync(database, db => db.Leads.CountAsync()), n => n >= 300, TimeSpan.FromSeconds(60), "every acknowledged lead");
        await Eventually.ReturnsAsync(() => CountAsync(database, db => db.Jobs.CountAsync(j => j.Status != JobStatus.Succeeded)),
            n => n == 0, TimeSpan.FromSeconds(30), "all jobs to finish");

        Assert.Equal(300, await CountAsync(database, db => db.Leads.CountAsync()));
        var stored = await CountAsync(database, db => db.Leads.Select(l => l.MetaLeadId).ToListAsync());
        Assert.Equal(leads.Ids.Order(), stored.Order());
        Assert.Equal(300, await CountAsync(database, db => db.Jobs.CountAsync(j => j.Kind == FetchLead.Kind)));
    }

    [Fact]
    public async Task TwoProcesses_OnePostgres_ShareTheWorkWithNoDuplicateAndNoLoss()
    {
        await using var emulator = await MetaEmulatorHost.StartAsync(CaptureScenario.EmulatorSettings());
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.Postgres);
        var settings = LeadwireHost.DefaultSettings(database, emulator.BaseUrl);
        settings["Leadwire:Jobs:LeaseDuration"] = "00:00:03";
        settings["Leadwire:Jobs:Concurrency"] = "8";
        var (page, form) = await CreatePageAndFormAsync(emulator);
        var leads = await emulator.Client.CreateLeadsBulkAsync(new BulkLeadsRequest { FormId = form.Id, Count = 600 });
        await emulator.Client.AddFaultAsync(new FaultRequest { Match = "lead", LatencyMs = 20, Count = 0 });

        var a = await ServerProcess.StartAsync(settings);
        await using var b = await ServerProcess.StartAsync(settings);
        await RegisterAsync(a, page);

        // Meta may deliver the same lead to any instance behind a load balancer, and more than once: send every
        // batch to both instances at the same time.
        foreach (var chunk in leads.Ids.Chunk(50))
        {
            var body = CaptureScenario.LeadgenBody(chunk.Select(id => (page.Id, form.Id, id)));
            var responses = await Task.WhenAll(PostSignedAsync(a.WebhookUrl, body), PostSignedAsync(b.WebhookUrl, body));
            Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
            foreach (var response in responses)
            {
                response.Dispose();
            }
        }

        // Both instances claim work: each holds running jobs at some point.
        var owners = new HashSet<string>();
        await Eventually.ReturnsAsync(async () =>
            {
                owners.UnionWith(await CountAsync(database, db => db.Jobs.Where(j => j.LeaseOwner != null).Select(j => j.LeaseOwner!).Distinct().ToListAsync()));
                return owners.Count;
            },
            n => n >= 2, TimeSpan.FromSeconds(30), "both instances to hold jobs");

        // One instance dies mid-way; the other takes over its leased jobs when the lease runs out.
        await a.KillAsync();
        await a.DisposeAsync();

        await Eventually.ReturnsAsync(() => CountAsync(database, db => db.Leads.CountAsync()), n => n >= 600, TimeSpan.FromSeconds(90), "600 leads");
        await Eventually.ReturnsAsync(() => CountAsync(database, db => db.Jobs.CountAsync(j => j.Status != JobStatus.Succeeded)),
            n => n == 0, TimeSpan.FromSeconds(30), "all jobs to finish");

        Assert.Equal(600, await CountAsync(database, db => db.Leads.CountAsync()));
        Assert.Equal(600, await CountAsync(database, db => db.Leads.Select(l => l.MetaLeadId).Distinct().CountAsync()));
        Assert.Equal(600, await CountAsync(database, db => db.Jobs.CountAsync(j => j.Kind == FetchLead.Kind)));
        Assert.Equal(24, await CountAsync(database, db => db.WebhookDeliveries.CountAsync()));
    }

    private static async Task<(PageView Page, FormView Form)> CreatePageAndFormAsync(MetaEmulatorHost emulator)
    {
        var page = await emulator.Client.CreatePageAsync(new CreatePageRequest { Name = "Crash Page" });
        var form = await emulator.Client.CreateFormAsync(new CreateFormRequest
        {
            PageId = page.Id, Name = "F", Questions = [new QuestionRequest { Type = "FULL_NAME" }, new QuestionRequest { Type = "EMAIL" }],
        });
        return (page, form);
    }

    private static async Task RegisterAsync(ServerProcess server, PageView page)
    {
        using var response = await server.Api.PostAsJsonAsync("/api/v1/pages", new { page_id = page.Id, name = page.Name, access_token = page.AccessToken });
        response.EnsureSuccessStatusCode();
    }

    private static async Task<HttpResponseMessage> PostSignedAsync(Uri url, string body)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        var bytes = System.Text.Encoding.UTF8.GetBytes(body);
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(bytes) };
        request.Headers.Add("X-Hub-Signature-256", CaptureScenario.Sign(bytes));
        return await http.SendAsync(request);
    }

    private static async Task<T> CountAsync<T>(TestDatabase database, Func<LeadwireDbContext, Task<T>> query)
    {
        await using var db = SchemaTests.CreateContext(database);
        return await query(db);
    }
}
