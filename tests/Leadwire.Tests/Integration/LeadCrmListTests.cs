using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Leadwire.Data;
using Leadwire.Infrastructure;
using Leadwire.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Leadwire.Tests.Integration;

/// <summary>C1: the lead list's filters, search, sorts and keyset pagination.</summary>
public sealed class LeadCrmListTests
{
    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task List_EachFilterAndCombinations_ReturnOnlyMatchingLeads(DatabaseProvider provider)
    {
        await using var w = await LeadCrmWorld.StartAsync(provider);
        var member = await TestAccounts.CreateMemberAsync(w.Host, w.WorkspaceId, WorkspaceRole.Agent, "agent@example.com");
        using var agent = member.Client;
        var agentId = member.UserId;
        var otherPage = await w.AddPageAsync("100000000000002");
        var t0 = new DateTime(2026, 3, 1, 0, 0, 0, DateTimeKind.Utc);

        var fresh = await w.SeedAsync(l => { l.CreatedTime = t0; l.MetaFormId = "form-a"; l.Score = 10; });
        var contacted = await w.SeedAsync(l => { l.CreatedTime = t0.AddDays(1); l.Status = LeadStatus.Contacted; l.MetaFormId = "form-a"; l.CampaignId = "camp-1"; l.Score = 55; });
        var qualified = await w.SeedAsync(l => { l.CreatedTime = t0.AddDays(2); l.Status = LeadStatus.Qualified; l.MetaFormId = "form-b"; l.CampaignId = "camp-1"; l.AdId = "ad-1"; l.Score = 80; l.AssigneeUserId = agentId; });
        var onOtherPage = await w.SeedAsync(l => { l.CreatedTime = t0.AddDays(3); l.PageId = otherPage.Id; l.MetaPageId = otherPage.MetaPageId; l.Score = 90; l.AssigneeUserId = agentId; });
        var test = await w.SeedAsync(l => { l.CreatedTime = t0.AddDays(4); l.IsTest = true; l.Score = 0; });
        var deleted = await w.SeedAsync(l => { l.CreatedTime = t0.AddDays(5); l.DeletedAt = t0.AddDays(6); l.CampaignId = "camp-1"; });
        var erased = await w.SeedAsync(l => { l.CreatedTime = t0.AddDays(6); l.ErasedAt = t0.AddDays(7); l.Email = null; l.FullName = null; l.CampaignId = "camp-1"; });
        var jane = await w.SeedAsync(l =>
        {
            l.CreatedTime = t0.AddDays(7);
            l.FullName = "Jane Doe";
            l.NameNormalized = "jane doe";
            l.Email = "Jane@Example.com";
            l.EmailNormalized = "jane@example.com";
            l.Phone = "+1 555 555 0100";
            l.PhoneNormalized = "15555550100";
            l.Score = 70;
        });
        var janet = await w.SeedAsync(l => { l.CreatedTime = t0.AddDays(8); l.NameNormalized = "janet smith"; l.EmailNormalized = "janet@example.com"; });
        await w.TagAsync(contacted, "vip");
        await w.TagAsync(qualified, "vip");
        await w.TagAsync(qualified, "callback");

        long[] live = [janet, jane, erased, test, onOtherPage, qualified, contacted, fresh];
        Assert.Equal(live, await LeadCrmWorld.IdsAsync(w.Owner, ""));
        Assert.Equal([fresh], await LeadCrmWorld.IdsAsync(w.Owner, "status=new&is_test=false&created_until=2026-03-04T00:00:00Z&score_max=10"));
        Assert.Equal([qualified, contacted], await LeadCrmWorld.IdsAsync(w.Owner, "status=contacted,qualified"));
        Assert.Equal([qualified], await LeadCrmWorld.IdsAsync(w.Owner, "status=QUALIFIED"));
        Assert.Equal([onOtherPage], await LeadCrmWorld.IdsAsync(w.Owner, $"page_id={otherPage.MetaPageId}"));
        Assert.Equal([contacted, fresh], await LeadCrmWorld.IdsAsync(w.Owner, "form_id=form-a"));
        Assert.Equal([erased, qualified, contacted], await LeadCrmWorld.IdsAsync(w.Owner, "campaign_id=camp-1"));
        Assert.Equal([qualified], await LeadCrmWorld.IdsAsync(w.Owner, "ad_id=ad-1"));
        Assert.Equal([onOtherPage, qualified], await LeadCrmWorld.IdsAsync(w.Owner, $"assignee={agentId.ToString(CultureInfo.InvariantCulture)}"));
        Assert.Equal([onOtherPage, qualified], await LeadCrmWorld.IdsAsync(agent, "assignee=me"));
        Assert.Equal(live.Except([onOtherPage, qualified]), await LeadCrmWorld.IdsAsync(w.Owner, "assignee=none"));
        Assert.Equal([qualified, contacted], await LeadCrmWorld.IdsAsync(w.Owner, "tag=VIP"));
        Assert.Equal([qualified], await LeadCrmWorld.IdsAsync(w.Owner, "tag=vip&status=qualified"));
        Assert.Equal([jane, onOtherPage, qualified], await LeadCrmWorld.IdsAsync(w.Owner, "score_min=70"));
        Assert.Equal([jane, contacted], await LeadCrmWorld.IdsAsync(w.Owner, "score_min=50&score_max=70"));
        Assert.Equal([janet, jane, erased], await LeadCrmWorld.IdsAsync(w.Owner, "created_since=2026-03-07T00:00:00Z"));
        Assert.Equal([test], await LeadCrmWorld.IdsAsync(w.Owner, "is_test=true"));
        Assert.Equal([deleted], await LeadCrmWorld.IdsAsync(w.Owner, "deleted=true"));
        Assert.Equal([deleted], await LeadCrmWorld.IdsAsync(w.Owner, "deleted=true&campaign_id=camp-1"));
        Assert.Equal([qualified], await LeadCrmWorld.IdsAsync(agent, "campaign_id=camp-1&form_id=form-b&assignee=me&status=qualified,contacted&tag=callback"));
        Assert.Empty(await LeadCrmWorld.IdsAsync(w.Owner, "campaign_id=camp-1&assignee=me"));

        // Search: email and phone exactly (normalised as typed), names by prefix.
        Assert.Equal([jane], await LeadCrmWorld.IdsAsync(w.Owner, "q=" + Uri.EscapeDataString("  JANE@example.COM ")));
        Assert.Equal([jane], await LeadCrmWorld.IdsAsync(w.Owner, "q=" + Uri.EscapeDataString("+1 (555) 555-0100")));
        Assert.Equal([jane], await LeadCrmWorld.IdsAsync(w.Owner, "q=" + Uri.EscapeDataString("0015555550100")));
        Assert.Equal([janet, jane], await LeadCrmWorld.IdsAsync(w.Owner, "q=Jane"));
        Assert.Equal([jane], await LeadCrmWorld.IdsAsync(w.Owner, "q=" + Uri.EscapeDataString("jane  d")));
        Assert.Equal([janet], await LeadCrmWorld.IdsAsync(w.Owner, "q=janet"));
        Assert.Empty(await LeadCrmWorld.IdsAsync(w.Owner, "q=jan&score_min=71"));
        Assert.Empty(await LeadCrmWorld.IdsAsync(w.Owner, "q=zed"));

        // The erased lead is listed, without its personal data.
        var erasedItem = (await LeadCrmWorld.ItemsAsync(w.Owner, "campaign_id=camp-1")).Single(i => i.GetProperty("id").GetInt64() == erased);
        Assert.Equal(JsonValueKind.Null, erasedItem.GetProperty("email").ValueKind);
        Assert.NotEqual(JsonValueKind.Null, erasedItem.GetProperty("erased_at").ValueKind);

        // The list carries the CRM fields, tags and assignee loaded for the page.
        var item = (await LeadCrmWorld.ItemsAsync(w.Owner, "ad_id=ad-1")).Single();
        Assert.Equal("qualified", item.GetProperty("status").GetString());
        Assert.Equal(80, item.GetProperty("score").GetInt32());
        Assert.Equal(["callback", "vip"], item.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal(agentId, item.GetProperty("assignee").GetProperty("user_id").GetInt64());
        Assert.Equal("agent@example.com", item.GetProperty("assignee").GetProperty("email").GetString());
        Assert.False(item.TryGetProperty("timeline", out _), "the timeline is on the detail only");
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task List_EverySort_PagesReturnEachLeadOnceInOrder(DatabaseProvider provider)
    {
        await using var w = await LeadCrmWorld.StartAsync(provider);
        var t0 = new DateTime(2026, 5, 1, 0, 0, 0, DateTimeKind.Utc);
        var seeded = new List<(long Id, DateTime Created, int Score, DateTime? Updated)>();
        for (var i = 0; i < 23; i++)
        {
            // Ties on every key (created time, score, updated time) so the id must break them.
            var created = t0.AddMinutes(i / 3);
            var score = i * 7 % 5 * 10;
            DateTime? updated = i % 3 == 0 ? null : t0.AddDays(1).AddSeconds(i % 4);
            var id = await w.SeedAsync(l => { l.CreatedTime = created; l.Score = score; l.UpdatedAt = updated; });
            seeded.Add((id, created, score, updated));
        }

        var expected = new Dictionary<string, List<long>>
        {
            ["created_desc"] = seeded.OrderByDescending(s => s.Created).ThenByDescending(s => s.Id).Select(s => s.Id).ToList(),
            ["created_asc"] = seeded.OrderBy(s => s.Created).ThenBy(s => s.Id).Select(s => s.Id).ToList(),
            ["score_desc"] = seeded.OrderByDescending(s => s.Score).ThenByDescending(s => s.Id).Select(s => s.Id).ToList(),
            ["score_asc"] = seeded.OrderBy(s => s.Score).ThenBy(s => s.Id).Select(s => s.Id).ToList(),
            ["updated_desc"] = seeded.Where(s => s.Updated is not null).OrderByDescending(s => s.Updated).ThenByDescending(s => s.Id)
                .Concat(seeded.Where(s => s.Updated is null).OrderByDescending(s => s.Created).ThenByDescending(s => s.Id))
                .Select(s => s.Id).ToList(),
        };
        Assert.Equal(expected["created_desc"], await LeadCrmWorld.IdsAsync(w.Owner, ""));

        // 15 updated leads: limit 5 ends a page exactly at the phase boundary of updated_desc; 4 and 7 do not.
        foreach (var limit in new[] { 4, 5, 7 })
        {
            foreach (var (sort, order) in expected)
            {
                var seen = new List<long>();
                string? cursor = null;
                var pages = 0;
                do
                {
                    var page = await w.Owner.GetFromJsonAsync<JsonElement>(
                        $"/api/v1/leads?sort={sort}&limit={limit}{(cursor is null ? "" : "&cursor=" + cursor)}");
                    var items = page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetInt64()).ToList();
                    Assert.InRange(items.Count, 1, limit);
                    seen.AddRange(items);
                    cursor = page.GetProperty("next_cursor").GetString();
                    Assert.True(++pages <= 23, "pagination ends");
                }
                while (cursor is not null);
                Assert.Equal(order, seen);
            }
        }

        // A cursor belongs to its sort.
        var first = await w.Owner.GetFromJsonAsync<JsonElement>("/api/v1/leads?sort=score_desc&limit=2");
        using var mixed = await w.Owner.GetAsync($"/api/v1/leads?sort=created_desc&cursor={first.GetProperty("next_cursor").GetString()}");
        Assert.Equal(HttpStatusCode.BadRequest, mixed.StatusCode);
        Assert.True((await mixed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("cursor", out _));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task List_InvalidParameters_ValidationProblemNamesEachField(DatabaseProvider provider)
    {
        await using var w = await LeadCrmWorld.StartAsync(provider);
        using var response = await w.Owner.GetAsync(
            "/api/v1/leads?status=new,won&sort=newest&assignee=bob&score_min=x&score_max=101&created_since=soon&is_test=maybe&deleted=perhaps&tag=" + new string('t', 65));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        foreach (var field in new[] { "status", "sort", "assignee", "score_min", "score_max", "created_since", "is_test", "deleted", "tag" })
        {
            Assert.True(errors.TryGetProperty(field, out _), $"an error for {field}");
        }
    }

    [Fact]
    public async Task OpenApi_DescribesEveryLeadCrmEndpointAndTheListParameters()
    {
        await using var w = await LeadCrmWorld.StartAsync(DatabaseProvider.Sqlite);
        var document = await w.Host.Anonymous.GetFromJsonAsync<JsonElement>("/openapi/v1.json");
        var paths = document.GetProperty("paths");
        foreach (var (path, method) in new[]
                 {
                     ("/api/v1/leads", "get"), ("/api/v1/leads/{id}", "get"), ("/api/v1/leads/{id}", "delete"),
                     ("/api/v1/leads/{id}/status", "post"), ("/api/v1/leads/{id}/assignee", "put"), ("/api/v1/leads/{id}/notes", "post"),
                     ("/api/v1/leads/{id}/interactions", "post"), ("/api/v1/leads/{id}/tags", "put"), ("/api/v1/leads/{id}/tags", "post"),
                     ("/api/v1/leads/{id}/tags/{tag}", "delete"), ("/api/v1/leads/{id}/restore", "post"), ("/api/v1/tags", "get"),
                 })
        {
            Assert.True(paths.TryGetProperty(path, out var item) && item.TryGetProperty(method, out _), $"{method} {path} in the OpenAPI document");
        }
        var parameters = paths.GetProperty("/api/v1/leads").GetProperty("get").GetProperty("parameters").EnumerateArray()
            .Select(p => p.GetProperty("name").GetString()).ToList();
        Assert.Superset(
            new HashSet<string?> { "status", "page_id", "form_id", "campaign_id", "ad_id", "assignee", "tag", "score_min", "score_max", "created_since", "created_until", "is_test", "q", "deleted", "sort", "limit", "cursor" },
            parameters.ToHashSet());

        using var anonymous = await w.Host.Anonymous.PostAsJsonAsync("/api/v1/leads/1/status", new { status = "contacted" });
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
    }
}

/// <summary>
/// A Leadwire host on its own database with the bootstrap owner's workspace and a page, and leads written straight
/// into the database (the CRM does not care how a lead arrived).
/// </summary>
internal sealed class LeadCrmWorld : IAsyncDisposable
{
    private int _seq;

    private LeadCrmWorld(TestDatabase database, LeadwireHost host, long workspaceId, long ownerUserId, Page page)
    {
        Database = database;
        Host = host;
        WorkspaceId = workspaceId;
        OwnerUserId = ownerUserId;
        Page = page;
    }

    public TestDatabase Database { get; }
    public LeadwireHost Host { get; }
    public long WorkspaceId { get; }

    /// <summary>The account the bootstrap token acts as.</summary>
    public long OwnerUserId { get; }
    public Page Page { get; }

    /// <summary>The bootstrap token: the owner of <see cref="WorkspaceId"/>.</summary>
    public HttpClient Owner => Host.Api;

    public static async Task<LeadCrmWorld> StartAsync(DatabaseProvider provider)
    {
        var database = await TestDatabase.CreateAsync(provider);
        var host = await LeadwireHost.StartAsync(database, null);
        var owner = await host.QueryAsync(db => db.Memberships.Where(m => m.Role == WorkspaceRole.Owner).OrderBy(m => m.WorkspaceId).FirstAsync());
        var page = await AddPageAsync(host, owner.WorkspaceId, "100000000000001");
        return new LeadCrmWorld(database, host, owner.WorkspaceId, owner.UserId, page);
    }

    public Task<Page> AddPageAsync(string metaPageId, long? workspaceId = null) => AddPageAsync(Host, workspaceId ?? WorkspaceId, metaPageId);

    private static async Task<Page> AddPageAsync(LeadwireHost host, long workspaceId, string metaPageId)
    {
        var now = TimeProvider.System.GetUtcNow().UtcDateTime;
        var page = new Page
        {
            WorkspaceId = workspaceId,
            MetaPageId = metaPageId,
            Name = "Page " + metaPageId,
            AccessTokenProtected = "not-a-real-token",
            CreatedAt = now,
            UpdatedAt = now,
            TokenUpdatedAt = now,
        };
        await WriteAsync(host, db => db.Pages.Add(page));
        return page;
    }

    /// <summary>Inserts a lead on <see cref="Page"/> (or what <paramref name="customize"/> sets) and returns its id.</summary>
    public async Task<long> SeedAsync(Action<Lead>? customize = null)
    {
        var n = Interlocked.Increment(ref _seq);
        var lead = new Lead
        {
            MetaLeadId = $"9{n:D14}",
            WorkspaceId = Page.WorkspaceId,
            PageId = Page.Id,
            MetaPageId = Page.MetaPageId,
            CreatedTime = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddMinutes(n),
            FullName = $"Lead {n}",
            AnswersJson = """{"preferred_model":"SUV"}""",
            RawJson = "{}",
            StoredAt = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc),
        };
        customize?.Invoke(lead);
        await WriteAsync(Host, db => db.Leads.Add(lead));
        return lead.Id;
    }

    public async Task<long> AddContactAsync(string emailNormalized)
    {
        var now = TimeProvider.System.GetUtcNow().UtcDateTime;
        var contact = new Contact { WorkspaceId = WorkspaceId, EmailNormalized = emailNormalized, CreatedAt = now, UpdatedAt = now };
        await WriteAsync(Host, db => db.Contacts.Add(contact));
        return contact.Id;
    }

    public Task TagAsync(long leadId, string tag) =>
        WriteAsync(Host, db => db.LeadTags.Add(new LeadTag { LeadId = leadId, Tag = tag, WorkspaceId = WorkspaceId }));

    public static async Task<List<JsonElement>> ItemsAsync(HttpClient client, string query)
    {
        var page = await client.GetFromJsonAsync<JsonElement>($"/api/v1/leads?limit=500&{query}");
        return page.GetProperty("items").EnumerateArray().ToList();
    }

    public static async Task<List<long>> IdsAsync(HttpClient client, string query) =>
        (await ItemsAsync(client, query)).Select(i => i.GetProperty("id").GetInt64()).ToList();

    public Task<Lead> LeadAsync(long id) => Host.QueryAsync(db => db.Leads.AsNoTracking().SingleAsync(l => l.Id == id));

    private static async Task WriteAsync(LeadwireHost host, Action<LeadwireDbContext> add)
    {
        await using var scope = host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<LeadwireDbContext>();
        using (await scope.ServiceProvider.GetRequiredService<WriteGate>().EnterAsync(CancellationToken.None))
        {
            add(db);
            await db.SaveChangesAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        await Database.DisposeAsync();
    }
}
