using System.Diagnostics;
using System.Globalization;
using Leadwire.Data;
using Leadwire.Features.Accounts;
using Leadwire.Infrastructure;
using Leadwire.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Leadwire.Tests.Integration;

/// <summary>TEMPORARY: list latencies on a million leads (run with LEADWIRE_CRM_PERF=1).</summary>
public sealed class LeadCrmPerfTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Perf(DatabaseProvider provider)
    {
        if (Environment.GetEnvironmentVariable("LEADWIRE_CRM_PERF") != "1")
        {
            return;
        }
        var count = int.Parse(Environment.GetEnvironmentVariable("LEADWIRE_CRM_PERF_LEADS") ?? "1000000", CultureInfo.InvariantCulture);
        await using var w = await LeadCrmWorld.StartAsync(provider);
        var page2 = await w.AddPageAsync("100000000000002");
        var agents = new List<(long UserId, HttpClient Client)>();
        for (var a = 0; a < 10; a++)
        {
            agents.Add(await TestAccounts.CreateMemberAsync(w.Host, w.WorkspaceId, WorkspaceRole.Agent, $"agent{a}@example.com"));
        }
        var firstAgent = agents[0].UserId;
        var raw = "{\"id\":\"x\",\"field_data\":[" + string.Join(",", Enumerable.Range(0, 8).Select(k => $"{{\"name\":\"question_{k}\",\"values\":[\"some answer text {k}\"]}}")) + "]}";
        const string answers = "{\"a\":\"b\"}";
        var clock = Stopwatch.StartNew();
        await using (var scope = w.Host.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<LeadwireDbContext>();
            db.Database.SetCommandTimeout(TimeSpan.FromMinutes(30));
            var status = "CASE i % 20 WHEN 0 THEN 'New' WHEN 1 THEN 'New' WHEN 2 THEN 'New' WHEN 3 THEN 'New' WHEN 4 THEN 'New' WHEN 5 THEN 'New' WHEN 6 THEN 'New' WHEN 7 THEN 'New' "
                + "WHEN 8 THEN 'Contacted' WHEN 9 THEN 'Contacted' WHEN 10 THEN 'Contacted' WHEN 11 THEN 'Contacted' WHEN 12 THEN 'Contacted' "
                + "WHEN 13 THEN 'Qualified' WHEN 14 THEN 'Qualified' WHEN 15 THEN 'Qualified' WHEN 16 THEN 'Converted' WHEN 17 THEN 'Converted' "
                + "WHEN 18 THEN 'Disqualified' ELSE 'Archived' END";
            string sql;
            if (provider == DatabaseProvider.Sqlite)
            {
                string T(string seconds) => $"strftime('%Y-%m-%d %H:%M:%S', {seconds}, 'unixepoch')";
                sql = $"""
                    WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {count})
                    INSERT INTO leads (meta_lead_id, workspace_id, page_id, meta_page_id, meta_form_id, campaign_id, ad_id, is_organic, is_test,
                        created_time, full_name, email, phone, answers_json, raw_json, source, stored_at, status, score, assignee_user_id,
                        email_normalized, phone_normalized, name_normalized, updated_at, deleted_at)
                    SELECT 'p' || i, {w.WorkspaceId}, CASE WHEN i % 2 = 0 THEN {w.Page.Id} ELSE {page2.Id} END,
                        CASE WHEN i % 2 = 0 THEN '{w.Page.MetaPageId}' ELSE '{page2.MetaPageId}' END,
                        'form-' || (i % 5), 'camp-' || (i % 20), 'ad-' || (i % 100), 0, (i % 50 = 0),
                        {T("1700000000 + i * 30")}, 'Name ' || i, 'user' || i || '@example.com', '+1 555 ' || (1000000 + i), '{answers}', '{raw}', 'Webhook',
                        {T("1700000000 + i * 30")}, {status}, (i * 7919) % 101, CASE WHEN i % 3 = 0 THEN NULL ELSE {firstAgent} + (i % 10) END,
                        'user' || i || '@example.com', '1555' || (1000000 + i), 'name ' || ((i * 7919) % 1000003), CASE WHEN i % 4 = 0 THEN {T("1740000000 + i * 7")} ELSE NULL END, CASE WHEN i % 5000 = 1 THEN {T("1750000000 + i")} ELSE NULL END
                    FROM n
                    """;
            }
            else
            {
                string T(string seconds) => $"to_timestamp({seconds})";
                sql = $"""
                    INSERT INTO leads (meta_lead_id, workspace_id, page_id, meta_page_id, meta_form_id, campaign_id, ad_id, is_organic, is_test,
                        created_time, full_name, email, phone, answers_json, raw_json, source, stored_at, status, score, assignee_user_id,
                        email_normalized, phone_normalized, name_normalized, updated_at, deleted_at)
                    SELECT 'p' || i, {w.WorkspaceId}, CASE WHEN i % 2 = 0 THEN {w.Page.Id} ELSE {page2.Id} END,
                        CASE WHEN i % 2 = 0 THEN '{w.Page.MetaPageId}' ELSE '{page2.MetaPageId}' END,
                        'form-' || (i % 5), 'camp-' || (i % 20), 'ad-' || (i % 100), false, (i % 50 = 0),
                        {T("1700000000 + i * 30")}, 'Name ' || i, 'user' || i || '@example.com', '+1 555 ' || (1000000 + i), '{answers}', '{raw}', 'Webhook',
                        {T("1700000000 + i * 30")}, {status}, (i * 7919) % 101, CASE WHEN i % 3 = 0 THEN NULL ELSE {firstAgent} + (i % 10) END,
                        'user' || i || '@example.com', '1555' || (1000000 + i), 'name ' || ((i * 7919) % 1000003), CASE WHEN i % 4 = 0 THEN {T("1740000000 + i * 7")} ELSE NULL END, CASE WHEN i % 5000 = 1 THEN {T("1750000000 + i")} ELSE NULL END
                    FROM generate_series(1::bigint, {count}) AS i
                    """;
            }
            await db.Database.ExecuteSqlRawAsync(sql.Replace("{", "{{", StringComparison.Ordinal).Replace("}", "}}", StringComparison.Ordinal));
            await db.Database.ExecuteSqlRawAsync($"INSERT INTO lead_tags (lead_id, tag, workspace_id) SELECT id, 'vip', workspace_id FROM leads WHERE id % 10 = 0");
            await db.Database.ExecuteSqlRawAsync($"INSERT INTO lead_tags (lead_id, tag, workspace_id) SELECT id, 'rare', workspace_id FROM leads WHERE id % 10000 = 7");
            output.WriteLine($"seeded {count} in {clock.Elapsed.TotalSeconds:0} s");
            if (provider == DatabaseProvider.Sqlite)
            {
                await db.Database.ExecuteSqlRawAsync("PRAGMA wal_checkpoint(TRUNCATE)");
            }
            if (Environment.GetEnvironmentVariable("LEADWIRE_CRM_PERF_ANALYZE") != "0")
            {
                await db.Database.ExecuteSqlRawAsync("ANALYZE");
            }
        }

        await ExplainAllAsync(w, provider, agents[1].UserId, agents[3].UserId);
        var api = w.Owner;
        var agent = agents[1].Client;
        var cursorDeep = await DeepCursorAsync(api, $"status=new&page_id={w.Page.MetaPageId}", 20);
        var queries = new (string Name, HttpClient Client, string Query)[]
        {
            ("status+page created_desc", api, $"status=new&page_id={w.Page.MetaPageId}"),
            ("status+page deep page 21", api, $"status=new&page_id={w.Page.MetaPageId}&cursor={cursorDeep}"),
            ("assignee+score range score_desc", api, $"assignee={agents[3].UserId}&score_min=50&score_max=100&sort=score_desc"),
            ("assignee+score range created", api, $"assignee={agents[3].UserId}&score_min=70&score_max=100"),
            ("campaign+form", api, "campaign_id=camp-3&form_id=form-3"),
            ("status qualified+campaign score_desc", api, "status=qualified&campaign_id=camp-13&sort=score_desc"),
            ("tag vip+status new", api, "tag=vip&status=new"),
            ("tag rare", api, "tag=rare"),
            ("deleted", api, "deleted=true"),
            ("updated_desc", api, "sort=updated_desc"),
            ("updated_desc+status contacted", api, "status=contacted&sort=updated_desc"),
            ("created_asc+is_test", api, "is_test=true&sort=created_asc"),
            ("created range+status", api, "created_since=2024-01-01T00:00:00Z&created_until=2024-02-01T00:00:00Z&status=contacted"),
            ("no filter", api, ""),
            ("status new,contacted + page", api, $"status=new,contacted&page_id={w.Page.MetaPageId}"),
            ("agent default", agent, ""),
            ("agent status new score_desc", agent, "status=new&sort=score_desc"),
            ("search email", api, "q=user123457%40example.com"),
            ("search phone", api, "q=" + Uri.EscapeDataString("+1 (555) 112-3457")),
            ("search name prefix", api, "q=name%2012345"),
            ("search name broad", api, "q=name%201"),
            ("unassigned+status", api, "assignee=none&status=new"),
        };
        foreach (var (name, client, query) in queries)
        {
            var times = new List<double>();
            var items = 0;
            for (var r = 0; r < 15; r++)
            {
                var t = Stopwatch.StartNew();
                using var response = await client.GetAsync($"/api/v1/leads?{query}");
                var body = await response.Content.ReadAsStringAsync();
                t.Stop();
                Assert.True(response.IsSuccessStatusCode, $"{name}: {body}");
                if (r >= 5)
                {
                    times.Add(t.Elapsed.TotalMilliseconds);
                }
                items = System.Text.Json.JsonDocument.Parse(body).RootElement.GetProperty("items").GetArrayLength();
            }
            times.Sort();
            output.WriteLine($"{provider} {name,-40} items {items,3}  p50 {times[times.Count / 2],7:0.0} ms  p95 {times[(int)(times.Count * 0.95)],7:0.0} ms");
        }
        foreach (var a in agents)
        {
            a.Client.Dispose();
        }
    }

    private async Task ExplainAllAsync(LeadCrmWorld w, DatabaseProvider provider, long agentId, long otherAgentId)
    {
        var owner = new Leadwire.Features.Accounts.Caller(w.OwnerUserId, "owner", w.WorkspaceId, WorkspaceRole.Owner, null, false);
        var agent = new Leadwire.Features.Accounts.Caller(agentId, "agent", w.WorkspaceId, WorkspaceRole.Agent, null, false);
        var shapes = new (string Name, Leadwire.Features.Accounts.Caller Caller, string Query, Leadwire.Features.Leads.LeadSort Sort)[]
        {
            ("status+page created_desc", owner, $"status=new&page_id={w.Page.MetaPageId}", Leadwire.Features.Leads.LeadSort.CreatedDesc),
            ("assignee+score score_desc", owner, $"assignee={otherAgentId}&score_min=50&score_max=100", Leadwire.Features.Leads.LeadSort.ScoreDesc),
            ("assignee+score created", owner, $"assignee={otherAgentId}&score_min=70&score_max=100", Leadwire.Features.Leads.LeadSort.CreatedDesc),
            ("campaign+form", owner, "campaign_id=camp-3&form_id=form-3", Leadwire.Features.Leads.LeadSort.CreatedDesc),
            ("qualified+campaign score_desc", owner, "status=qualified&campaign_id=camp-13", Leadwire.Features.Leads.LeadSort.ScoreDesc),
            ("tag vip+status new", owner, "tag=vip&status=new", Leadwire.Features.Leads.LeadSort.CreatedDesc),
            ("tag rare", owner, "tag=rare", Leadwire.Features.Leads.LeadSort.CreatedDesc),
            ("is_test created_asc", owner, "is_test=true", Leadwire.Features.Leads.LeadSort.CreatedAsc),
            ("no filter", owner, "", Leadwire.Features.Leads.LeadSort.CreatedDesc),
            ("new,contacted + page", owner, $"status=new,contacted&page_id={w.Page.MetaPageId}", Leadwire.Features.Leads.LeadSort.CreatedDesc),
            ("agent default", agent, "", Leadwire.Features.Leads.LeadSort.CreatedDesc),
            ("agent new score_desc", agent, "status=new", Leadwire.Features.Leads.LeadSort.ScoreDesc),
            ("search email", owner, "q=user123457@example.com", Leadwire.Features.Leads.LeadSort.CreatedDesc),
            ("search phone", owner, "q=+1 (555) 112-3457", Leadwire.Features.Leads.LeadSort.CreatedDesc),
            ("search name prefix", owner, "q=name 12345", Leadwire.Features.Leads.LeadSort.CreatedDesc),
            ("search name broad", owner, "q=name 1", Leadwire.Features.Leads.LeadSort.CreatedDesc),
            ("search name 1234", owner, "q=name 1234", Leadwire.Features.Leads.LeadSort.CreatedDesc),
            ("search name 12345", owner, "q=name 12345", Leadwire.Features.Leads.LeadSort.CreatedDesc),
            ("tag rare+status", owner, "tag=rare&status=new", Leadwire.Features.Leads.LeadSort.ScoreDesc),
            ("unassigned+status", owner, "assignee=none&status=new", Leadwire.Features.Leads.LeadSort.CreatedDesc),
            ("deleted", owner, "deleted=true", Leadwire.Features.Leads.LeadSort.CreatedDesc),
            ("contacted score_asc", owner, "status=contacted", Leadwire.Features.Leads.LeadSort.ScoreAsc),
        };
        await using var scope = w.Host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<LeadwireDbContext>();
        foreach (var (name, caller, query, sort) in shapes)
        {
            var errors = new Dictionary<string, string[]>();
            var parsed = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(query);
            var filter = Leadwire.Features.Leads.LeadFilter.Parse(new Microsoft.AspNetCore.Http.QueryCollection(parsed), caller, errors);
            Assert.Empty(errors);
            var leads = await Leadwire.Features.Leads.LeadList.QueryAsync(filter, caller, db, CancellationToken.None);
            IQueryable<Lead> ordered = sort switch
            {
                Leadwire.Features.Leads.LeadSort.ScoreDesc => leads.OrderByDescending(l => l.Score).ThenByDescending(l => l.Id),
                Leadwire.Features.Leads.LeadSort.ScoreAsc => leads.OrderBy(l => l.Score).ThenBy(l => l.Id),
                Leadwire.Features.Leads.LeadSort.CreatedAsc => leads.OrderBy(l => l.CreatedTime).ThenBy(l => l.Id),
                _ => leads.OrderByDescending(l => l.CreatedTime).ThenByDescending(l => l.Id),
            };
            await ExplainAsync(db, provider, name, ordered.Take(51));
        }
        var updatedAll = db.Leads.AsNoTracking().VisibleTo(owner).Where(l => l.DeletedAt == null && l.UpdatedAt != null)
            .OrderByDescending(l => l.UpdatedAt).ThenByDescending(l => l.Id).Take(51);
        await ExplainAsync(db, provider, "updated phase 1 all", updatedAll);
        var updated = db.Leads.AsNoTracking().VisibleTo(owner).Where(l => l.DeletedAt == null && l.Status == LeadStatus.Contacted && l.UpdatedAt != null)
            .OrderByDescending(l => l.UpdatedAt).ThenByDescending(l => l.Id).Take(51);
        await ExplainAsync(db, provider, "updated phase 1 contacted", updated);
        var untouched = db.Leads.AsNoTracking().VisibleTo(owner).Where(l => l.DeletedAt == null && l.Status == LeadStatus.Contacted && l.UpdatedAt == null)
            .OrderByDescending(l => l.CreatedTime).ThenByDescending(l => l.Id).Take(51);
        await ExplainAsync(db, provider, "updated phase 2 contacted", untouched);
        var t = new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        var deep = db.Leads.AsNoTracking().VisibleTo(owner).Where(l => l.DeletedAt == null && l.Status == LeadStatus.New && l.CreatedTime <= t && (l.CreatedTime < t || l.Id < 5000))
            .OrderByDescending(l => l.CreatedTime).ThenByDescending(l => l.Id).Take(51);
        await ExplainAsync(db, provider, "deep keyset created", deep);
    }

    private async Task ExplainAsync(LeadwireDbContext db, DatabaseProvider provider, string name, IQueryable<Lead> query)
    {
        await db.Database.OpenConnectionAsync();
        await using var command = query.CreateDbCommand();
        var sql = command.CommandText;
        var times = new List<double>();
        for (var i = 0; i < 7; i++)
        {
            var t = Stopwatch.StartNew();
            await using (var reader = await command.ExecuteReaderAsync())
            {
                while (await reader.ReadAsync())
                {
                }
            }
            times.Add(t.Elapsed.TotalMilliseconds);
        }
        times.Sort();
        command.CommandText = (provider == DatabaseProvider.Sqlite ? "EXPLAIN QUERY PLAN " : "EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) ") + sql;
        var plan = new List<string>();
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                plan.Add(provider == DatabaseProvider.Sqlite ? reader.GetString(3) : reader.GetString(0));
            }
        }
        output.WriteLine($"== {provider} {name}: sql median {times[3]:0.0} ms min {times[0]:0.0} ms");
        if (Environment.GetEnvironmentVariable("LEADWIRE_CRM_PERF_SQL") == "1")
        {
            output.WriteLine(sql);
        }
        foreach (var line in plan)
        {
            output.WriteLine("   " + line);
        }
    }

    private static async Task<string> DeepCursorAsync(HttpClient api, string query, int pages)
    {
        string? cursor = null;
        for (var p = 0; p < pages; p++)
        {
            var page = await System.Net.Http.Json.HttpClientJsonExtensions.GetFromJsonAsync<System.Text.Json.JsonElement>(api,
                $"/api/v1/leads?{query}{(cursor is null ? "" : "&cursor=" + cursor)}");
            cursor = page.GetProperty("next_cursor").GetString();
        }
        return cursor!;
    }
}
