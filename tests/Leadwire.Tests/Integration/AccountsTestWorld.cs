using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Leadwire.Data;
using Leadwire.Infrastructure;
using Leadwire.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Leadwire.Tests.Integration;

/// <summary>
/// A Leadwire host of its own for the account, privacy and audit tests, with helpers that go through the public API
/// (members with passwords, sign-in sessions) and a few that seed rows directly (pages, leads) where no API exists.
/// </summary>
internal sealed class AccountsTestWorld : IAsyncDisposable
{
    public const string Password = "correct horse battery 42";

    private readonly List<HttpClient> _clients = [];

    private AccountsTestWorld(TestDatabase database, LeadwireHost host)
    {
        Database = database;
        Host = host;
    }

    public TestDatabase Database { get; }
    public LeadwireHost Host { get; }

    /// <summary>The bootstrap token: owner of the first workspace.</summary>
    public HttpClient Owner => Host.Api;

    public static async Task<AccountsTestWorld> StartAsync(DatabaseProvider provider, Action<Dictionary<string, string?>>? configure = null)
    {
        var database = await TestDatabase.CreateAsync(provider);
        var host = await LeadwireHost.StartAsync(database, null, configure);
        return new AccountsTestWorld(database, host);
    }

    /// <summary>The current workspace of <paramref name="client"/> (the bootstrap owner's when null).</summary>
    public async Task<long> WorkspaceIdAsync(HttpClient? client = null) =>
        (await (client ?? Owner).GetFromJsonAsync<JsonElement>("/api/v1/workspace")).GetProperty("id").GetInt64();

    /// <summary>A client with a cookie jar, as a browser would be, and no credentials yet.</summary>
    public HttpClient NewBrowser()
    {
        var handler = new HttpClientHandler { CookieContainer = new CookieContainer(), UseCookies = true };
        var client = new HttpClient(handler) { BaseAddress = Host.BaseUrl, Timeout = TimeSpan.FromSeconds(60) };
        _clients.Add(client);
        return client;
    }

    /// <summary>A client carrying a bearer token.</summary>
    public HttpClient WithToken(string token)
    {
        var client = new HttpClient { BaseAddress = Host.BaseUrl, Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        _clients.Add(client);
        return client;
    }

    public static Task<HttpResponseMessage> LoginAsync(HttpClient client, string email, string password) =>
        client.PostAsJsonAsync("/api/v1/auth/login", new { email, password });

    public async Task<HttpClient> SignInAsync(string email, string password = Password)
    {
        var browser = NewBrowser();
        using var response = await LoginAsync(browser, email, password);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return browser;
    }

    /// <summary>Adds a member through the API (the bootstrap owner unless <paramref name="by"/> is given); returns their user id.</summary>
    public async Task<long> AddMemberAsync(string email, string role, string? password = Password, HttpClient? by = null)
    {
        using var response = await (by ?? Owner).PostAsJsonAsync("/api/v1/workspace/members", new { email, role, password });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("user_id").GetInt64();
    }

    /// <summary>Creates an API token through the API for whoever <paramref name="client"/> is; returns a client carrying it.</summary>
    public async Task<(long Id, HttpClient Client)> CreateTokenAsync(HttpClient client, string name = "test")
    {
        using var response = await client.PostAsJsonAsync("/api/v1/tokens", new { name });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return (body.GetProperty("id").GetInt64(), WithToken(body.GetProperty("token").GetString()!));
    }

    public static async Task<List<JsonElement>> AuditAsync(HttpClient client, string query = "")
    {
        var page = await client.GetFromJsonAsync<JsonElement>($"/api/v1/audit?limit=500{query}");
        return page.GetProperty("items").EnumerateArray().ToList();
    }

    public static async Task<JsonElement> ProblemAsync(HttpResponseMessage response)
    {
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    public async Task<T> WithDbAsync<T>(Func<LeadwireDbContext, Task<T>> work)
    {
        await using var scope = Host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<LeadwireDbContext>();
        var gate = scope.ServiceProvider.GetRequiredService<WriteGate>();
        using (await gate.EnterAsync(CancellationToken.None))
        {
            return await work(db);
        }
    }

    /// <summary>A page of the workspace, made in the database (registering one needs Meta).</summary>
    public Task<Page> SeedPageAsync(long workspaceId) => WithDbAsync(async db =>
    {
        var now = TimeProvider.System.GetUtcNow().UtcDateTime;
        var page = new Page
        {
            WorkspaceId = workspaceId, MetaPageId = Random.Shared.NextInt64(100_000_000_000_000, 999_999_999_999_999).ToString(), Name = "Seeded page",
            AccessTokenProtected = "not-a-token", CreatedAt = now, UpdatedAt = now, TokenUpdatedAt = now,
        };
        db.Pages.Add(page);
        await db.SaveChangesAsync();
        return page;
    });

    public static Lead NewLead(Page page, string fullName, string email, string phone, DateTime createdTime) => new()
    {
        MetaLeadId = Random.Shared.NextInt64(100_000_000_000_000, 999_999_999_999_999).ToString(),
        WorkspaceId = page.WorkspaceId,
        PageId = page.Id,
        MetaPageId = page.MetaPageId,
        CampaignId = "120200000000001",
        CampaignName = "Spring campaign",
        CreatedTime = createdTime,
        StoredAt = createdTime,
        FullName = fullName,
        Email = email,
        Phone = phone,
        City = "Quahog",
        EmailNormalized = email.ToLowerInvariant(),
        PhoneNormalized = new string(phone.Where(char.IsAsciiDigit).ToArray()),
        NameNormalized = fullName.ToLowerInvariant(),
        AnswersJson = JsonSerializer.Serialize(new Dictionary<string, string> { ["full_name"] = fullName, ["email"] = email, ["phone_number"] = phone }),
        RawJson = JsonSerializer.Serialize(new { id = "1", field_data = new[] { new { name = "email", values = new[] { email } } } }),
        DisclaimerResponsesJson = """[{"checkbox_key":"marketing_optin","is_checked":"1"}]""",
        ScoreReasonsJson = JsonSerializer.Serialize(new[] { new { rule = "contact", detail = $"has email {email}" } }),
    };

    public Task<List<string>> FindEverywhereAsync(params string[] needles) => PersonalDataScan.FindAsync(Host, needles);

    public async ValueTask DisposeAsync()
    {
        foreach (var client in _clients)
        {
            client.Dispose();
        }
        await Host.DisposeAsync();
        await Database.DisposeAsync();
    }
}

/// <summary>Looks for personal data anywhere in a host's database, for the erasure tests.</summary>
internal static class PersonalDataScan
{
    /// <summary>
    /// Every string (and every byte string, read as UTF-8) in every table of the model, with where it was found, that
    /// contains one of <paramref name="needles"/> (case-insensitive).
    /// </summary>
    public static async Task<List<string>> FindAsync(LeadwireHost host, params string[] needles)
    {
        await using var scope = host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<LeadwireDbContext>();
        var tables = db.Model.GetEntityTypes().Select(e => e.GetTableName()!).Distinct().ToList();
        var hits = new List<string>();
        var connection = db.Database.GetDbConnection();
        await connection.OpenAsync();
        foreach (var table in tables)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = $"SELECT * FROM {table}";
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                for (var i = 0; i < reader.FieldCount; i++)
                {
                    var text = reader.GetValue(i) switch
                    {
                        string s => s,
                        byte[] bytes => Encoding.UTF8.GetString(bytes),
                        _ => null,
                    };
                    if (text is not null && needles.FirstOrDefault(n => text.Contains(n, StringComparison.OrdinalIgnoreCase)) is { } found)
                    {
                        hits.Add($"{table}.{reader.GetName(i)} contains \"{found}\": {text}");
                    }
                }
            }
        }
        return hits;
    }
}
