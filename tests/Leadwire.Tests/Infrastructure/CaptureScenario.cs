using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Leadwire.Data;
using Leadwire.Infrastructure;
using Leadwire.MetaEmulator;
using Microsoft.EntityFrameworkCore;

namespace Leadwire.Tests.Infrastructure;

/// <summary>
/// One complete world per test: the Meta emulator and Leadwire on loopback ports, a database of its own, an
/// emulated page with a form whose app webhook points at Leadwire, and (by default) the page registered.
/// </summary>
public sealed class CaptureScenario : IAsyncDisposable
{
    private CaptureScenario(MetaEmulatorHost emulator, TestDatabase database, LeadwireHost leadwire, PageView page, FormView form)
    {
        Emulator = emulator;
        Database = database;
        Leadwire = leadwire;
        Page = page;
        Form = form;
    }

    public MetaEmulatorHost Emulator { get; }
    public MetaEmulatorClient Meta => Emulator.Client;
    public TestDatabase Database { get; }
    public LeadwireHost Leadwire { get; }
    public PageView Page { get; }
    public FormView Form { get; }

    public static MetaEmulatorSettings EmulatorSettings() => new()
    {
        AppId = LeadwireHost.AppId,
        AppSecret = LeadwireHost.AppSecret,
        VerifyToken = LeadwireHost.VerifyToken,
        LingerMs = 5,
        RetryScheduleMs = [0, 200, 500, 1000, 2000],
    };

    public static async Task<CaptureScenario> StartAsync(
        DatabaseProvider provider, Action<Dictionary<string, string?>>? configure = null, bool registerPage = true)
    {
        var emulator = await MetaEmulatorHost.StartAsync(EmulatorSettings());
        var database = await TestDatabase.CreateAsync(provider);
        var leadwire = await LeadwireHost.StartAsync(database, emulator.BaseUrl, configure);
        await emulator.Client.UpdateAppAsync(new AppSettingsUpdate { CallbackUrl = leadwire.WebhookUrl.ToString() });

        var page = await emulator.Client.CreatePageAsync(new CreatePageRequest { Name = "Dealer Page" });
        var form = await emulator.Client.CreateFormAsync(new CreateFormRequest
        {
            PageId = page.Id,
            Name = "Test drive",
            Questions =
            [
                new QuestionRequest { Type = "FULL_NAME" },
                new QuestionRequest { Type = "EMAIL" },
                new QuestionRequest { Type = "PHONE" },
                new QuestionRequest { Type = "CITY" },
                new QuestionRequest { Type = "CUSTOM", Key = "preferred_model", Label = "Which model?" },
            ],
        });

        var scenario = new CaptureScenario(emulator, database, leadwire, page, form);
        if (registerPage)
        {
            using var response = await scenario.RegisterPageAsync(page.AccessToken);
            response.EnsureSuccessStatusCode();
        }
        return scenario;
    }

    public Task<HttpResponseMessage> RegisterPageAsync(string accessToken) =>
        Leadwire.Api.PostAsJsonAsync("/api/v1/pages", new { page_id = Page.Id, name = Page.Name, access_token = accessToken });

    /// <summary>Waits until the lead is served by the API and returns it.</summary>
    public async Task<JsonElement> WaitForLeadAsync(string metaLeadId, TimeSpan? timeout = null)
    {
        var id = await Eventually.ReturnsAsync(
            () => Leadwire.QueryAsync(db => db.Leads.Where(l => l.MetaLeadId == metaLeadId).Select(l => (long?)l.Id).SingleOrDefaultAsync()),
            found => found is not null, timeout ?? TimeSpan.FromSeconds(20), $"lead {metaLeadId} to be stored");
        return await Leadwire.Api.GetFromJsonAsync<JsonElement>($"/api/v1/leads/{id}");
    }

    public Task<int> WaitForLeadCountAsync(int expected, TimeSpan? timeout = null) =>
        Eventually.ReturnsAsync(() => LeadCountAsync(), count => count >= expected, timeout ?? TimeSpan.FromSeconds(30), $"{expected} leads");

    public Task<int> LeadCountAsync() => Leadwire.QueryAsync(db => db.Leads.CountAsync());

    public Task<Job[]> JobsAsync(string kind) => Leadwire.QueryAsync(db => db.Jobs.Where(j => j.Kind == kind).OrderBy(j => j.Id).ToArrayAsync());

    public Task<Job> WaitForJobAsync(string kind, JobStatus status, TimeSpan? timeout = null) =>
        Eventually.ReturnsAsync(
            () => Leadwire.QueryAsync(db => db.Jobs.Where(j => j.Kind == kind && j.Status == status).OrderBy(j => j.Id).FirstOrDefaultAsync()),
            job => job is not null, timeout ?? TimeSpan.FromSeconds(20), $"a {kind} job to be {status}")!;

    /// <summary>A leadgen notification body for existing emulator leads, as Meta batches them.</summary>
    public static string LeadgenBody(IEnumerable<(string PageId, string FormId, string LeadId)> leads)
    {
        var entries = leads.GroupBy(l => l.PageId).Select(g => new
        {
            id = g.Key,
            time = 1767225600,
            changes = g.Select(l => new
            {
                field = "leadgen",
                value = new { leadgen_id = l.LeadId, page_id = l.PageId, form_id = l.FormId, created_time = 1767225590 },
            }),
        });
        return JsonSerializer.Serialize(new { @object = "page", entry = entries });
    }

    /// <summary>POSTs a body to Leadwire's webhook, signed like Meta unless told otherwise.</summary>
    public async Task<HttpResponseMessage> PostWebhookAsync(string body, string? signature = null, bool sign = true)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        using var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/meta") { Content = content };
        if (sign)
        {
            request.Headers.Add("X-Hub-Signature-256", signature ?? Sign(bytes));
        }
        return await Leadwire.Anonymous.SendAsync(request);
    }

    public static string Sign(byte[] body) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(LeadwireHost.AppSecret), body));

    public async ValueTask DisposeAsync()
    {
        await Leadwire.DisposeAsync();
        await Emulator.DisposeAsync();
        await Database.DisposeAsync();
    }
}
