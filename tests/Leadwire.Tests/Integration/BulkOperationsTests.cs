using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Leadwire.Data;
using Leadwire.Infrastructure;
using Leadwire.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Xunit.Abstractions;

namespace Leadwire.Tests.Integration;

/// <summary>C7: bulk actions on ids or a whole filter, as background work with progress; roles and workspaces.</summary>
public sealed class BulkOperationsTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task BulkStatus_FilterOf100kLeads_SucceedsWithProgressReadableWhileRunning(DatabaseProvider provider)
    {
        await using var w = await BulkTestData.StartAsync(provider);
        var seeding = Stopwatch.StartNew();
        await w.SeedManyAsync(100_000);
        await w.SeedManyAsync(500, status: "Qualified"); // outside the filter: must not move
        output.WriteLine($"{provider}: seeded 100,500 leads in {seeding.Elapsed.TotalSeconds:0.0}s");

        var clock = Stopwatch.StartNew();
        var (status, accepted) = await BulkTestData.PostBulkAsync(w.Api, new
        {
            action = "status",
            filter = new { status = "new", page_id = BulkTestData.MetaPageId },
            @params = new { status = "contacted", reason = "Called from the campaign list" },
        });
        Assert.Equal(HttpStatusCode.Accepted, status);
        var id = accepted.GetProperty("id").GetInt64();
        Assert.Equal("status", accepted.GetProperty("action").GetString());
        Assert.Equal("pending", accepted.GetProperty("status").GetString());

        // Generous: the target is 15 s on an idle 2-core machine; a loaded one (parallel test classes) is slower.
        var seen = await BulkTestData.WaitForOperationAsync(w.Api, id, TimeSpan.FromSeconds(150));
        output.WriteLine($"{provider}: bulk status of 100,000 leads took {clock.Elapsed.TotalSeconds:0.0}s, {seen.Count} polls");

        var processed = seen.Select(s => s.GetProperty("processed").GetInt32()).ToList();
        Assert.True(processed.Zip(processed.Skip(1)).All(p => p.First <= p.Second), $"processed went backwards: {string.Join(", ", processed)}");
        Assert.Contains(seen, s => s.GetProperty("status").GetString() == "running"
            && s.GetProperty("processed").GetInt32() is > 0 and < 100_000
            && s.GetProperty("total").GetInt32() == 100_000
            && s.GetProperty("progress").GetDouble() is > 0 and < 1);
        var done = seen[^1];
        Assert.Equal("succeeded", done.GetProperty("status").GetString());
        Assert.Equal(100_000, done.GetProperty("total").GetInt32());
        Assert.Equal(100_000, done.GetProperty("processed").GetInt32());
        Assert.Equal(0, done.GetProperty("failed").GetInt32());
        Assert.Equal(1.0, done.GetProperty("progress").GetDouble());
        Assert.NotNull(done.GetProperty("finished_at").GetString());

        Assert.Equal(100_000, await w.QueryAsync(db => db.Leads.CountAsync(l => l.Status == LeadStatus.Contacted && l.ContactedAt != null && l.StatusReason == "Called from the campaign list")));
        Assert.Equal(500, await w.QueryAsync(db => db.Leads.CountAsync(l => l.Status == LeadStatus.Qualified)));
        Assert.Equal(100_000, await w.QueryAsync(db => db.LeadEvents.CountAsync(e => e.Type == LeadEventTypes.StatusChanged)));
        var sample = await w.QueryAsync(db => db.LeadEvents.FirstAsync(e => e.Type == LeadEventTypes.StatusChanged));
        using (var data = JsonDocument.Parse(sample.DataJson!))
        {
            Assert.Equal("new", data.RootElement.GetProperty("from").GetString());
            Assert.Equal("contacted", data.RootElement.GetProperty("to").GetString());
            Assert.Equal("Called from the campaign list", data.RootElement.GetProperty("reason").GetString());
            Assert.Equal(id, data.RootElement.GetProperty("bulk_operation_id").GetInt64());
        }
        Assert.Equal(w.OwnerUserId, sample.ActorUserId);
        var audit = await w.QueryAsync(db => db.AuditLog.SingleAsync(a => a.Action == "leads.bulk_status"));
        Assert.Equal(id.ToString(CultureInfo.InvariantCulture), audit.TargetId);
        Assert.Contains("\"processed\":100000", audit.Details, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task BulkStatus_OnIds_InvalidTransitionsAndUnknownIdsCountedAsFailed(DatabaseProvider provider)
    {
        await using var w = await BulkTestData.StartAsync(provider);
        var new1 = await w.AddLeadAsync();
        var new2 = await w.AddLeadAsync();
        var converted = await w.AddLeadAsync(l => l.Status = LeadStatus.Converted);
        var qualified = await w.AddLeadAsync(l => l.Status = LeadStatus.Qualified);
        var already = await w.AddLeadAsync(l => l.Status = LeadStatus.Contacted);
        var erased = await w.AddLeadAsync(l => l.ErasedAt = w.Now);

        var (status, accepted) = await BulkTestData.PostBulkAsync(w.Api, new
        {
            action = "status",
            lead_ids = new[] { new1, new2, converted, qualified, already, erased, 987_654_321L, new1 },
            @params = new { status = "contacted" },
        });

        Assert.Equal(HttpStatusCode.Accepted, status);
        Assert.Equal(7, accepted.GetProperty("total").GetInt32());
        var done = (await BulkTestData.WaitForOperationAsync(w.Api, accepted.GetProperty("id").GetInt64(), TimeSpan.FromSeconds(30)))[^1];
        Assert.Equal("succeeded", done.GetProperty("status").GetString());
        Assert.Equal(7, done.GetProperty("processed").GetInt32());
        Assert.Equal(4, done.GetProperty("failed").GetInt32());
        var errors = done.GetProperty("errors").EnumerateArray().Select(e => e.GetString()!).ToList();
        Assert.Contains($"lead {converted}: A converted lead cannot move to contacted. Allowed from converted: new.", errors);
        Assert.Contains($"lead {qualified}: A qualified lead cannot move to contacted. Allowed from qualified: converted, disqualified, archived.", errors);
        Assert.Contains("lead 987654321: not found.", errors);
        Assert.Contains($"lead {erased}: erased; it can no longer be changed.", errors);

        var statuses = await w.QueryAsync(db => db.Leads.ToDictionaryAsync(l => l.Id, l => l.Status));
        Assert.Equal(LeadStatus.Contacted, statuses[new1]);
        Assert.Equal(LeadStatus.Contacted, statuses[new2]);
        Assert.Equal(LeadStatus.Converted, statuses[converted]);
        Assert.Equal(LeadStatus.Qualified, statuses[qualified]);
        Assert.Equal(LeadStatus.New, statuses[erased]);
        Assert.Equal(2, await w.QueryAsync(db => db.LeadEvents.CountAsync(e => e.Type == LeadEventTypes.StatusChanged)));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task BulkAssignTagUntag_OnIds_ChangeLeadsAndWriteTimeline(DatabaseProvider provider)
    {
        await using var w = await BulkTestData.StartAsync(provider);
        var (agentId, agent) = await TestAccounts.CreateMemberAsync(w.Host, w.WorkspaceId, WorkspaceRole.Agent, "agent@example.com");
        agent.Dispose();
        var a = await w.AddLeadAsync();
        var b = await w.AddLeadAsync(l => l.AssigneeUserId = agentId, "vip");
        var untouched = await w.AddLeadAsync();

        await RunAsync(w.Api, new { action = "assign", lead_ids = new[] { a, b }, @params = new { user_id = agentId } });
        await RunAsync(w.Api, new { action = "tag", lead_ids = new[] { a, b }, @params = new { tag = " VIP " } });
        await RunAsync(w.Api, new { action = "untag", lead_ids = new[] { b }, @params = new { tag = "vip" } });

        var leads = await w.QueryAsync(db => db.Leads.ToDictionaryAsync(l => l.Id));
        Assert.Equal(agentId, leads[a].AssigneeUserId);
        Assert.NotNull(leads[a].AssignedAt);
        Assert.Equal(agentId, leads[b].AssigneeUserId);
        Assert.Null(leads[untouched].AssigneeUserId);
        var tags = await w.QueryAsync(db => db.LeadTags.Select(t => new { t.LeadId, t.Tag, t.WorkspaceId }).ToListAsync());
        var tag = Assert.Single(tags);
        Assert.Equal((a, "vip", w.WorkspaceId), (tag.LeadId, tag.Tag, tag.WorkspaceId));

        var events = await w.QueryAsync(db => db.LeadEvents.OrderBy(e => e.Id).Select(e => new { e.LeadId, e.Type, e.DataJson }).ToListAsync());
        // b was already assigned to the agent and already tagged: no event for a change that did not happen.
        Assert.Equal(new (long, string)[] { (a, "assigned"), (a, "tagged"), (b, "untagged") }, events.Select(e => (e.LeadId, e.Type)));
        using var assigned = JsonDocument.Parse(events[0].DataJson!);
        Assert.Equal(JsonValueKind.Null, assigned.RootElement.GetProperty("from").ValueKind);
        Assert.Equal(agentId, assigned.RootElement.GetProperty("to").GetInt64());
        Assert.Equal("agent@example.com", assigned.RootElement.GetProperty("to_email").GetString());
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task BulkDeleteThenRestore_OnFilter_SoftDeletesAndBringsBack(DatabaseProvider provider)
    {
        await using var w = await BulkTestData.StartAsync(provider);
        var test1 = await w.AddLeadAsync(l => l.IsTest = true);
        var test2 = await w.AddLeadAsync(l => l.IsTest = true);
        var real = await w.AddLeadAsync();

        var deleted = await RunAsync(w.Api, new { action = "delete", filter = new { is_test = true } });
        Assert.Equal(2, deleted.GetProperty("processed").GetInt32());
        var leads = await w.QueryAsync(db => db.Leads.ToDictionaryAsync(l => l.Id, l => l.DeletedAt));
        Assert.NotNull(leads[test1]);
        Assert.NotNull(leads[test2]);
        Assert.Null(leads[real]);

        // Restore works on deleted leads whatever the filter says about deletion.
        var restored = await RunAsync(w.Api, new { action = "restore", filter = new { is_test = true } });
        Assert.Equal(2, restored.GetProperty("processed").GetInt32());
        Assert.Equal(0, await w.QueryAsync(db => db.Leads.CountAsync(l => l.DeletedAt != null)));
        Assert.Equal(2, await w.QueryAsync(db => db.LeadEvents.CountAsync(e => e.Type == LeadEventTypes.Deleted)));
        Assert.Equal(2, await w.QueryAsync(db => db.LeadEvents.CountAsync(e => e.Type == LeadEventTypes.Restored)));
        Assert.Equal(1, await w.QueryAsync(db => db.AuditLog.CountAsync(e => e.Action == "leads.bulk_delete")));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task BulkByAgent_DeleteAndExportForbidden_StatusTouchesOnlyTheirLeads(DatabaseProvider provider)
    {
        await using var w = await BulkTestData.StartAsync(provider);
        var (agentId, agent) = await TestAccounts.CreateMemberAsync(w.Host, w.WorkspaceId, WorkspaceRole.Agent, "agent@example.com");
        using var _ = agent;
        var mine = await w.AddLeadAsync(l => l.AssigneeUserId = agentId);
        var theirs = await w.AddLeadAsync(l => l.AssigneeUserId = w.OwnerUserId);
        var nobodys = await w.AddLeadAsync();

        var (deleteStatus, deleteBody) = await BulkTestData.PostBulkAsync(agent, new { action = "delete", lead_ids = new[] { mine } });
        Assert.Equal(HttpStatusCode.Forbidden, deleteStatus);
        Assert.Contains("Agents cannot bulk delete", deleteBody.GetProperty("detail").GetString(), StringComparison.Ordinal);
        var (exportStatus, _) = await BulkTestData.PostBulkAsync(agent, new { action = "export", filter = new { }, @params = new { format = "csv" } });
        Assert.Equal(HttpStatusCode.Forbidden, exportStatus);
        Assert.Equal(0, await w.QueryAsync(db => db.BulkOperations.CountAsync()));

        var done = await RunAsync(agent, new { action = "status", filter = new { }, @params = new { status = "contacted" } });
        Assert.Equal(1, done.GetProperty("total").GetInt32());
        var byIds = await RunAsync(agent, new { action = "status", lead_ids = new[] { theirs, nobodys }, @params = new { status = "archived", reason = "Spam" } });
        Assert.Equal(2, byIds.GetProperty("failed").GetInt32());

        var statuses = await w.QueryAsync(db => db.Leads.ToDictionaryAsync(l => l.Id, l => l.Status));
        Assert.Equal(LeadStatus.Contacted, statuses[mine]);
        Assert.Equal(LeadStatus.New, statuses[theirs]);
        Assert.Equal(LeadStatus.New, statuses[nobodys]);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task BulkExport_OnFilter_FileDownloadableWithTheRightRows(DatabaseProvider provider)
    {
        await using var w = await BulkTestData.StartAsync(provider, s => s["Leadwire:Bulk:ChunkSize"] = "100");
        await w.SeedManyAsync(2_500);
        await w.SeedManyAsync(10, status: "Archived");
        var named = await w.AddLeadAsync(l =>
        {
            l.FullName = "Zoë Ünal";
            l.AnswersJson = """{"preferred_model":"=cmd|' /C calc'!A0"}""";
        });

        var done = await RunAsync(w.Api, new { action = "export", filter = new { status = "new" }, @params = new { format = "csv" } });

        Assert.Equal(2_501, done.GetProperty("total").GetInt32());
        Assert.Equal(2_501, done.GetProperty("processed").GetInt32());
        var url = done.GetProperty("download_url").GetString()!;
        Assert.Equal($"/api/v1/bulk-operations/{done.GetProperty("id").GetInt64()}/download", url);
        using var response = await w.Api.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        Assert.Matches(@"^leads-\d{8}-\d{4}\.csv$", response.Content.Headers.ContentDisposition?.FileName?.Trim('"') ?? "");
        var rows = BulkTestData.CsvRecords(await response.Content.ReadAsStringAsync());
        Assert.Equal(2_501, rows.Count);
        Assert.All(rows, r => Assert.Equal("new", r["status"]));
        Assert.Equal(2_501, rows.Select(r => r["id"]).Distinct().Count());
        var zoe = rows.Single(r => r["id"] == named.ToString(CultureInfo.InvariantCulture));
        Assert.Equal("Zoë Ünal", zoe["full_name"]);
        Assert.Equal("'=cmd|' /C calc'!A0", zoe["preferred_model"]);
        Assert.Equal("SUV", rows[0]["preferred_model"]);

        Assert.Single(Directory.GetFiles(w.ExportDirectory));
        Assert.Equal(1, await w.QueryAsync(db => db.AuditLog.CountAsync(a => a.Action == "leads.exported")));
        Assert.Equal(1, await w.QueryAsync(db => db.Jobs.CountAsync(j => j.Kind == "bulk.expire_export" && j.Status == JobStatus.Pending)));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task BulkExport_AfterRetention_FileDeletedAndDownloadGone(DatabaseProvider provider)
    {
        await using var w = await BulkTestData.StartAsync(provider, s => s["Leadwire:Bulk:ExportRetention"] = "00:00:01");
        var lead = await w.AddLeadAsync(l => l.FullName = "Jane Doe");

        var done = await RunAsync(w.Api, new { action = "export", lead_ids = new[] { lead, lead + 1000 }, @params = new { format = "jsonl" } });
        Assert.Equal(1, done.GetProperty("failed").GetInt32());
        var id = done.GetProperty("id").GetInt64();

        // The job deletes the file, then records it (so a crash in between retries the delete): wait for the record.
        await Eventually.ReturnsAsync(() => w.Api.GetFromJsonAsync<JsonElement>($"/api/v1/bulk-operations/{id}"),
            state => state.GetProperty("download_url").ValueKind == JsonValueKind.Null, TimeSpan.FromSeconds(20), "the export to expire");
        Assert.Empty(Directory.GetFiles(w.ExportDirectory));
        using var response = await w.Api.GetAsync($"/api/v1/bulk-operations/{id}/download");
        Assert.Equal(HttpStatusCode.Gone, response.StatusCode);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task BulkOperation_OfAnotherWorkspace_NotFound(DatabaseProvider provider)
    {
        await using var w = await BulkTestData.StartAsync(provider);
        var lead = await w.AddLeadAsync();
        var done = await RunAsync(w.Api, new { action = "export", lead_ids = new[] { lead }, @params = new { format = "csv" } });
        var id = done.GetProperty("id").GetInt64();
        var other = await TestAccounts.CreateWorkspaceAsync(w.Host, "Other agency client");
        var (_, otherOwner) = await TestAccounts.CreateMemberAsync(w.Host, other, WorkspaceRole.Owner, "owner@other.example");
        using var _ = otherOwner;

        using (var get = await otherOwner.GetAsync($"/api/v1/bulk-operations/{id}"))
        {
            Assert.Equal(HttpStatusCode.NotFound, get.StatusCode);
        }
        using (var download = await otherOwner.GetAsync($"/api/v1/bulk-operations/{id}/download"))
        {
            Assert.Equal(HttpStatusCode.NotFound, download.StatusCode);
        }
        var list = await otherOwner.GetFromJsonAsync<JsonElement>("/api/v1/bulk-operations");
        Assert.Equal(0, list.GetProperty("items").GetArrayLength());
        // Ids of another workspace's leads are simply not found: nothing of theirs is touched.
        var foreign = await RunAsync(otherOwner, new { action = "delete", lead_ids = new[] { lead } });
        Assert.Equal(1, foreign.GetProperty("failed").GetInt32());
        Assert.Null(await w.QueryAsync(db => db.Leads.Where(l => l.Id == lead).Select(l => l.DeletedAt).SingleAsync()));

        var mine = await w.Api.GetFromJsonAsync<JsonElement>("/api/v1/bulk-operations");
        Assert.Equal(id, mine.GetProperty("items")[0].GetProperty("id").GetInt64());
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task BulkOperation_InvalidRequests_ValidationProblemWithFieldNames(DatabaseProvider provider)
    {
        await using var w = await BulkTestData.StartAsync(provider);

        long[] someIds = [1];
        await AssertInvalidAsync(w.Api, new { action = "explode", lead_ids = someIds }, "action");
        await AssertInvalidAsync(w.Api, new { action = "status", lead_ids = someIds, filter = new { }, @params = new { status = "contacted" } }, "lead_ids");
        await AssertInvalidAsync(w.Api, new { action = "status", @params = new { status = "contacted" } }, "lead_ids");
        await AssertInvalidAsync(w.Api, new { action = "status", filter = new { } }, "params.status");
        await AssertInvalidAsync(w.Api, new { action = "status", filter = new { }, @params = new { status = "dancing" } }, "params.status");
        await AssertInvalidAsync(w.Api, new { action = "status", filter = new { }, @params = new { status = "disqualified" } }, "params.reason");
        await AssertInvalidAsync(w.Api, new { action = "assign", filter = new { }, @params = new { user_id = 424242 } }, "params.user_id");
        await AssertInvalidAsync(w.Api, new { action = "tag", filter = new { }, @params = new { tag = "  " } }, "params.tag");
        await AssertInvalidAsync(w.Api, new { action = "export", filter = new { }, @params = new { format = "pdf" } }, "params.format");
        await AssertInvalidAsync(w.Api, new { action = "delete", filter = new { is_tset = true } }, "filter.is_tset");
        await AssertInvalidAsync(w.Api, new { action = "delete", filter = new { status = "maybe" } }, "filter.status");
        Assert.Equal(0, await w.QueryAsync(db => db.BulkOperations.CountAsync()));
    }

    private static async Task AssertInvalidAsync(HttpClient client, object request, string field)
    {
        var (status, body) = await BulkTestData.PostBulkAsync(client, request);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        Assert.True(body.GetProperty("errors").TryGetProperty(field, out _), $"expected an error for {field}: {body}");
    }

    /// <summary>Posts the operation and waits for it to succeed; returns its final state.</summary>
    private static async Task<JsonElement> RunAsync(HttpClient client, object request)
    {
        var (status, accepted) = await BulkTestData.PostBulkAsync(client, request);
        Assert.True(status == HttpStatusCode.Accepted, $"expected 202, got {(int)status}: {accepted}");
        var done = (await BulkTestData.WaitForOperationAsync(client, accepted.GetProperty("id").GetInt64(), TimeSpan.FromSeconds(30)))[^1];
        Assert.True(done.GetProperty("status").GetString() == "succeeded", $"operation did not succeed: {done}");
        return done;
    }
}
