using System.Net.Http.Headers;
using System.Net.Http.Json;
using Leadwire.Bench.Infrastructure;
using Leadwire.Bench.Load;
using Leadwire.Bench.Phases;
using Leadwire.Bench.Storage;
using Leadwire.MetaEmulator;

namespace Leadwire.Bench;

/// <summary>
/// What every phase shares: the Meta emulator in this process (answering Graph calls at once, never delivering
/// webhooks itself — the bench signs and sends them), one page with one form, and a pool of existing leads.
/// Starts Leadwire servers as child processes.
/// </summary>
public sealed class BenchWorld : IAsyncDisposable
{
    public const string AppId = "700000000000001";
    public const string VerifyToken = "bench-verify-token";
    public const string ApiToken = "bench-bootstrap-token-0123456789";
    public const string AppSecret = "bench_app_secret_0123456789abcdef";

    private readonly IReadOnlyList<string> _serverEnvironment;

    private BenchWorld(MetaEmulatorHost emulator, PageView page, FormView form, string serverAssembly, IReadOnlyList<string> serverEnvironment)
    {
        _serverEnvironment = serverEnvironment;
        ServerAssembly = serverAssembly;
        Emulator = emulator;
        Page = page;
        Form = form;
    }

    /// <summary>The Leadwire.Server.dll every phase runs.</summary>
    public string ServerAssembly { get; }

    public MetaEmulatorHost Emulator { get; }
    public PageView Page { get; }
    public FormView Form { get; }

    /// <summary>Notifications for the leads every fresh server is warmed up with (their own leads, never a phase's).</summary>
    public IReadOnlyList<LeadgenWebhook> WarmupWebhooks { get; private set; } = [];

    /// <param name="serverAssembly">Leadwire.Server.dll.</param>
    /// <param name="serverEnvironment">NAME=VALUE pairs added to (or replacing) the bench's settings of every Leadwire process.</param>
    /// <param name="warmupLeads">Leads created for warming up each fresh server (0: servers are measured cold).</param>
    public static async Task<BenchWorld> StartAsync(string serverAssembly, IReadOnlyList<string> serverEnvironment, int warmupLeads)
    {
        var emulator = await MetaEmulatorHost.StartAsync(new MetaEmulatorSettings
        {
            AppId = AppId,
            AppSecret = AppSecret,
            VerifyToken = VerifyToken,
            // No CallbackUrl: the emulator queues no webhooks; the bench sends them.
            RequestLogCapacity = 1_000,
            WebhookLogCapacity = 100,
        });
        try
        {
            var page = await emulator.Client.CreatePageAsync(new CreatePageRequest { Name = "Bench Dealer Page" });
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
            var world = new BenchWorld(emulator, page, form, serverAssembly, serverEnvironment);
            if (warmupLeads > 0)
            {
                world.WarmupWebhooks = LeadgenWebhook.CreateMany(world, await world.CreateLeadsAsync(warmupLeads), ServerWarmup.ChangesPerPost);
            }
            return world;
        }
        catch
        {
            await emulator.DisposeAsync();
            throw;
        }
    }

    /// <summary>Leads that exist in the emulator (full answers, the form's ad), with no webhook queued.</summary>
    public async Task<IReadOnlyList<string>> CreateLeadsAsync(int count)
    {
        var ids = new List<string>(count);
        while (ids.Count < count)
        {
            var batch = Math.Min(100_000, count - ids.Count);
            var created = await Emulator.Client.CreateLeadsBulkAsync(new BulkLeadsRequest { FormId = Form.Id, Count = batch, Deliver = false });
            ids.AddRange(created.Ids);
        }
        return ids;
    }

    /// <summary>A Leadwire process on a fresh database, with the bench page registered (its forms synced).</summary>
    public async Task<ChildServer> StartLeadwireAsync(BenchDatabase database)
    {
        var port = ChildServer.FreePort();
        var environment = new Dictionary<string, string>(database.ServerEnvironment)
        {
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}",
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["DOTNET_NOLOGO"] = "1",
            ["Leadwire__Meta__AppId"] = AppId,
            ["Leadwire__Meta__AppSecret"] = AppSecret,
            ["Leadwire__Meta__VerifyToken"] = VerifyToken,
            ["Leadwire__Meta__GraphBaseUrl"] = Emulator.BaseUrl.ToString().TrimEnd('/'),
            ["Leadwire__Bootstrap__ApiToken"] = ApiToken,
            ["Leadwire__Demo__Enabled"] = "false",
            ["Leadwire__Reconciliation__Enabled"] = "false",
            ["Logging__LogLevel__Default"] = "Warning",
        };
        foreach (var pair in _serverEnvironment)
        {
            var split = pair.IndexOf('=', StringComparison.Ordinal);
            environment[pair[..split]] = pair[(split + 1)..];
        }
        var server = await ChildServer.StartAsync("Leadwire.Server", ServerAssembly, [], environment, new Uri($"http://127.0.0.1:{port}/"));
        try
        {
            await RegisterPageAsync(server.BaseUrl);
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>Warms a fresh server up (see <see cref="ServerWarmup"/>) and waits for its backlog to drain.</summary>
    public Task<WarmupResult> WarmUpAsync(ChildServer server, BenchDatabase database, Action<string> progress) =>
        ServerWarmup.RunAsync(server.BaseUrl, database, WarmupWebhooks, progress);

    public async ValueTask DisposeAsync() => await Emulator.DisposeAsync();

    private async Task RegisterPageAsync(Uri leadwire)
    {
        using var api = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = leadwire, Timeout = TimeSpan.FromSeconds(30) };
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ApiToken);
        using var response = await api.PostAsJsonAsync("/api/v1/pages", new Dictionary<string, string>
        {
            ["page_id"] = Page.Id,
            ["name"] = Page.Name,
            ["access_token"] = Page.AccessToken,
        });
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException(
                $"Registering the page answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }
    }
}
