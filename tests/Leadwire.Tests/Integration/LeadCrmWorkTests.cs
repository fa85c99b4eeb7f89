using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Leadwire.Data;
using Leadwire.Infrastructure;
using Leadwire.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Leadwire.Tests.Integration;

/// <summary>C2–C6, C10: working a lead — status workflow, assignment, notes, interactions, tags, soft delete — and its timeline.</summary>
public sealed class LeadCrmWorkTests
{
    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Status_ValidMoves_StampTimesKeepContactedAtAndWriteTimeline(DatabaseProvider provider)
    {
        await using var w = await LeadCrmWorld.StartAsync(provider);
        var id = await w.SeedAsync();

        var contacted = await MoveAsync(w.Owner, id, "contacted");
        Assert.Equal("contacted", contacted.GetProperty("status").GetString());
        var contactedAt = contacted.GetProperty("contacted_at").GetDateTime();

        var qualified = await MoveAsync(w.Owner, id, "qualified", "Budget confirmed");
        Assert.Equal("Budget confirmed", qualified.GetProperty("status_reason").GetString());
        Assert.NotEqual(JsonValueKind.Null, qualified.GetProperty("qualified_at").ValueKind);

        var converted = await MoveAsync(w.Owner, id, "converted");
        Assert.Equal(contactedAt, converted.GetProperty("contacted_at").GetDateTime());
        var convertedAt = converted.GetProperty("converted_at").GetDateTime();
        Assert.True(convertedAt >= contactedAt);

        // An admin reopens the closed lead; contacted_at and converted_at stay as history.
        var reopened = await MoveAsync(w.Owner, id, "new", "Bought the wrong model, wants another");
        Assert.Equal("new", reopened.GetProperty("status").GetString());
        Assert.Equal(contactedAt, reopened.GetProperty("contacted_at").GetDateTime());
        Assert.Equal(convertedAt, reopened.GetProperty("converted_at").GetDateTime());
        var again = await MoveAsync(w.Owner, id, "contacted");
        Assert.Equal(contactedAt, again.GetProperty("contacted_at").GetDateTime());

        var stored = await w.LeadAsync(id);
        Assert.Equal(LeadStatus.Contacted, stored.Status);
        Assert.Equal(contactedAt, stored.ContactedAt);
        Assert.NotNull(stored.UpdatedAt);

        var detail = await w.Owner.GetFromJsonAsync<JsonElement>($"/api/v1/leads/{id}");
        var moves = detail.GetProperty("timeline").EnumerateArray().Where(e => e.GetProperty("type").GetString() == "status_changed").ToList();
        Assert.Equal(
            ["new>contacted", "contacted>qualified", "qualified>converted", "converted>new", "new>contacted"],
            moves.Select(e => $"{e.GetProperty("data").GetProperty("from").GetString()}>{e.GetProperty("data").GetProperty("to").GetString()}"));
        Assert.Equal("Budget confirmed", moves[1].GetProperty("data").GetProperty("reason").GetString());
        Assert.All(moves, e => AssertByOwner(w, e));
        Assert.All(moves, e => Assert.NotEqual(default, e.GetProperty("at").GetDateTime()));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Status_InvalidMoves_409ListsAllowedMovesAndChangeNothing(DatabaseProvider provider)
    {
        await using var w = await LeadCrmWorld.StartAsync(provider);
        var member = await TestAccounts.CreateMemberAsync(w.Host, w.WorkspaceId, WorkspaceRole.Agent, "agent@example.com");
        using var agent = member.Client;
        var qualified = await w.SeedAsync(l => { l.Status = LeadStatus.Qualified; l.AssigneeUserId = member.UserId; });
        var converted = await w.SeedAsync(l => { l.Status = LeadStatus.Converted; l.AssigneeUserId = member.UserId; });

        await AssertRefusedAsync(w.Owner, qualified, "contacted", ["converted", "disqualified", "archived"]);
        await AssertRefusedAsync(w.Owner, qualified, "qualified", ["converted", "disqualified", "archived"]);
        await AssertRefusedAsync(w.Owner, converted, "contacted", ["new"]);
        // Converted is final for an agent: nothing is allowed, and the problem says who can reopen it.
        var agentProblem = await AssertRefusedAsync(agent, converted, "new", []);
        Assert.Contains("admin", agentProblem.GetProperty("detail").GetString(), StringComparison.Ordinal);

        // Disqualifying and archiving need a reason (422); other fields are checked first (400).
        using (var noReason = await w.Owner.PostAsJsonAsync($"/api/v1/leads/{qualified}/status", new { status = "disqualified", reason = "  " }))
        {
            Assert.Equal(HttpStatusCode.UnprocessableEntity, noReason.StatusCode);
            Assert.True((await noReason.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("reason", out _));
        }
        using (var unknown = await w.Owner.PostAsJsonAsync($"/api/v1/leads/{qualified}/status", new { status = "won" }))
        {
            Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
            Assert.True((await unknown.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("status", out _));
        }
        Assert.Equal(LeadStatus.Qualified, (await w.LeadAsync(qualified)).Status);
        Assert.Null((await w.LeadAsync(qualified)).UpdatedAt);

        // The agent works their own lead: archive with a reason, then reopen (archived is not a verdict).
        var archived = await MoveAsync(agent, qualified, "archived", "Asked to call back next year");
        Assert.Equal("archived", archived.GetProperty("status").GetString());
        await AssertRefusedAsync(agent, qualified, "contacted", ["new"]);
        Assert.Equal("new", (await MoveAsync(agent, qualified, "new")).GetProperty("status").GetString());

        var events = await w.Host.QueryAsync(db => db.LeadEvents.Where(e => e.LeadId == qualified).OrderBy(e => e.Id).ToListAsync());
        Assert.Equal(2, events.Count);
        Assert.All(events, e => Assert.Equal(member.UserId, e.ActorUserId));
        Assert.Equal("agent@example.com", events[0].Actor);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Assignee_AdminAssignsMembersOnly_AgentForbidden(DatabaseProvider provider)
    {
        await using var w = await LeadCrmWorld.StartAsync(provider);
        var agentMember = await TestAccounts.CreateMemberAsync(w.Host, w.WorkspaceId, WorkspaceRole.Agent, "agent@example.com");
        using var agent = agentMember.Client;
        var adminMember = await TestAccounts.CreateMemberAsync(w.Host, w.WorkspaceId, WorkspaceRole.Admin, "admin@example.com");
        using var admin = adminMember.Client;
        var otherWorkspace = await TestAccounts.CreateWorkspaceAsync(w.Host, "Other business");
        var stranger = await TestAccounts.CreateMemberAsync(w.Host, otherWorkspace, WorkspaceRole.Agent, "stranger@example.com");
        stranger.Client.Dispose();
        var id = await w.SeedAsync();

        using (var assigned = await admin.PutAsJsonAsync($"/api/v1/leads/{id}/assignee", new { user_id = agentMember.UserId }))
        {
            Assert.Equal(HttpStatusCode.OK, assigned.StatusCode);
            var lead = await assigned.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal(agentMember.UserId, lead.GetProperty("assignee").GetProperty("user_id").GetInt64());
            Assert.Equal("agent@example.com", lead.GetProperty("assignee").GetProperty("email").GetString());
        }
        Assert.Equal(agentMember.UserId, (await w.LeadAsync(id)).AssigneeUserId);
        Assert.NotNull((await w.LeadAsync(id)).AssignedAt);

        using (var foreign = await admin.PutAsJsonAsync($"/api/v1/leads/{id}/assignee", new { user_id = stranger.UserId }))
        {
            Assert.Equal(HttpStatusCode.UnprocessableEntity, foreign.StatusCode);
            Assert.True((await foreign.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("user_id", out _));
        }
        using (var byAgent = await agent.PutAsJsonAsync($"/api/v1/leads/{id}/assignee", new { user_id = (long?)null }))
        {
            Assert.Equal(HttpStatusCode.Forbidden, byAgent.StatusCode);
        }
        Assert.Equal(agentMember.UserId, (await w.LeadAsync(id)).AssigneeUserId);

        using (var unassigned = await w.Owner.PutAsJsonAsync($"/api/v1/leads/{id}/assignee", new { user_id = (long?)null }))
        {
            Assert.Equal(HttpStatusCode.OK, unassigned.StatusCode);
            Assert.Equal(JsonValueKind.Null, (await unassigned.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("assignee").ValueKind);
        }

        var timeline = await TimelineAsync(w.Owner, id);
        var assignments = timeline.Where(e => e.GetProperty("type").GetString() == "assigned").ToList();
        Assert.Equal(2, assignments.Count);
        Assert.Equal("admin@example.com", assignments[0].GetProperty("actor").GetString());
        Assert.Equal(JsonValueKind.Null, assignments[0].GetProperty("data").GetProperty("from").ValueKind);
        Assert.Equal(agentMember.UserId, assignments[0].GetProperty("data").GetProperty("to").GetInt64());
        Assert.Equal(agentMember.UserId, assignments[1].GetProperty("data").GetProperty("from").GetInt64());
        Assert.Equal(JsonValueKind.Null, assignments[1].GetProperty("data").GetProperty("to").ValueKind);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task NotesAndInteractions_AppearInTimelineWithAuthorAndTime(DatabaseProvider provider)
    {
        await using var w = await LeadCrmWorld.StartAsync(provider);
        var id = await w.SeedAsync(l =>
        {
            l.ScoreReasonsJson = """[{"factor":"freshness","points":20,"max_points":20,"explanation":"Arrived minutes ago."}]""";
            l.Score = 20;
        });

        using (var note = await w.Owner.PostAsJsonAsync($"/api/v1/leads/{id}/notes", new { text = "  Prefers WhatsApp after 6pm  " }))
        {
            Assert.Equal(HttpStatusCode.Created, note.StatusCode);
            var e = await note.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal("note", e.GetProperty("type").GetString());
            Assert.Equal("Prefers WhatsApp after 6pm", e.GetProperty("data").GetProperty("text").GetString());
        }
        var occurred = new DateTimeOffset(2026, 2, 3, 14, 30, 0, TimeSpan.FromHours(3));
        using (var call = await w.Owner.PostAsJsonAsync($"/api/v1/leads/{id}/interactions",
                   new { kind = "CALL", outcome = "No answer", notes = "Left voicemail", occurred_at = occurred }))
        {
            Assert.Equal(HttpStatusCode.Created, call.StatusCode);
        }
        using (var email = await w.Owner.PostAsJsonAsync($"/api/v1/leads/{id}/interactions", new { kind = "email", outcome = "Sent brochure" }))
        {
            Assert.Equal(HttpStatusCode.Created, email.StatusCode);
        }

        using (var invalid = await w.Owner.PostAsJsonAsync($"/api/v1/leads/{id}/interactions",
                   new { kind = "fax", outcome = "", occurred_at = TimeProvider.System.GetUtcNow().AddDays(1) }))
        {
            Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
            var errors = (await invalid.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
            Assert.True(errors.TryGetProperty("kind", out _));
            Assert.True(errors.TryGetProperty("outcome", out _));
            Assert.True(errors.TryGetProperty("occurred_at", out _));
        }
        using (var empty = await w.Owner.PostAsJsonAsync($"/api/v1/leads/{id}/notes", new { text = " " }))
        {
            Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
            Assert.True((await empty.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("text", out _));
        }

        var detail = await w.Owner.GetFromJsonAsync<JsonElement>($"/api/v1/leads/{id}");
        Assert.Equal("SUV", detail.GetProperty("answers").GetProperty("preferred_model").GetString());
        // Working the lead rescored it: the reasons add up to the score, and engagement counts the two interactions and the note.
        var reasons = detail.GetProperty("score_reasons").EnumerateArray().ToList();
        Assert.Equal(detail.GetProperty("score").GetInt32(), reasons.Sum(r => r.GetProperty("points").GetInt32()));
        Assert.Contains(reasons, r => r.GetProperty("factor").GetString() == "engagement" && r.GetProperty("points").GetInt32() > 0);
        var timeline = detail.GetProperty("timeline").EnumerateArray().Where(e => e.GetProperty("type").GetString() is "note" or "interaction").ToList();
        Assert.Equal(["note", "interaction", "interaction"], timeline.Select(e => e.GetProperty("type").GetString()));
        Assert.All(timeline, e => AssertByOwner(w, e));
        var ats = timeline.Select(e => e.GetProperty("at").GetDateTime()).ToList();
        Assert.Equal(ats.Order(), ats);
        var callData = timeline[1].GetProperty("data");
        Assert.Equal("call", callData.GetProperty("kind").GetString());
        Assert.Equal("No answer", callData.GetProperty("outcome").GetString());
        Assert.Equal("Left voicemail", callData.GetProperty("notes").GetString());
        Assert.Equal(occurred.UtcDateTime, callData.GetProperty("occurred_at").GetDateTime().ToUniversalTime());
        Assert.Equal(JsonValueKind.Null, timeline[2].GetProperty("data").GetProperty("notes").ValueKind);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Tags_ReplaceAddRemove_NormalisedCountedAndInTimeline(DatabaseProvider provider)
    {
        await using var w = await LeadCrmWorld.StartAsync(provider);
        var first = await w.SeedAsync();
        var second = await w.SeedAsync();

        var replaced = await SendAsync<JsonElement>(w.Owner.PutAsJsonAsync($"/api/v1/leads/{first}/tags", new { tags = new List<string> { " VIP ", "vip", "Callback" } }));
        Assert.Equal(["callback", "vip"], replaced.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
        var added = await SendAsync<JsonElement>(w.Owner.PostAsJsonAsync($"/api/v1/leads/{second}/tags", new { tag = "VIP" }));
        Assert.Equal(["vip"], added.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
        // Adding a tag the lead has already changes nothing.
        await SendAsync<JsonElement>(w.Owner.PostAsJsonAsync($"/api/v1/leads/{second}/tags", new { tag = "vip" }));
        using (var removed = await w.Owner.DeleteAsync($"/api/v1/leads/{first}/tags/CALLBACK"))
        {
            Assert.Equal(HttpStatusCode.NoContent, removed.StatusCode);
        }
        var swapped = await SendAsync<JsonElement>(w.Owner.PutAsJsonAsync($"/api/v1/leads/{first}/tags", new { tags = new List<string> { "hot" } }));
        Assert.Equal(["hot"], swapped.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));

        using (var tooLong = await w.Owner.PostAsJsonAsync($"/api/v1/leads/{first}/tags", new { tag = new string('x', 65) }))
        {
            Assert.Equal(HttpStatusCode.BadRequest, tooLong.StatusCode);
            Assert.True((await tooLong.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("tag", out _));
        }
        using (var blank = await w.Owner.PutAsJsonAsync($"/api/v1/leads/{first}/tags", new { tags = new List<string> { "ok", " " } }))
        {
            Assert.Equal(HttpStatusCode.BadRequest, blank.StatusCode);
        }

        Assert.Equal(["hot"], await w.Host.QueryAsync(db => db.LeadTags.Where(t => t.LeadId == first).Select(t => t.Tag).ToListAsync()));
        var tagEvents = (await TimelineAsync(w.Owner, first)).Select(e => $"{e.GetProperty("type").GetString()}:{e.GetProperty("data").GetProperty("tag").GetString()}");
        Assert.Equal(["tagged:callback", "tagged:vip", "untagged:callback", "untagged:vip", "tagged:hot"], tagEvents);
        Assert.Single(await TimelineAsync(w.Owner, second));

        var third = await w.SeedAsync();
        await SendAsync<JsonElement>(w.Owner.PostAsJsonAsync($"/api/v1/leads/{third}/tags", new { tag = "hot" }));
        var counts = await w.Owner.GetFromJsonAsync<JsonElement>("/api/v1/tags");
        Assert.Equal(
            ["hot:2", "vip:1"],
            counts.GetProperty("items").EnumerateArray().Select(c => $"{c.GetProperty("tag").GetString()}:{c.GetProperty("count").GetInt32()}"));
        Assert.Equal([third, first], await LeadCrmWorld.IdsAsync(w.Owner, "tag=hot"));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task SoftDelete_HidesLead_RestoreShowsItAgain_BothAudited(DatabaseProvider provider)
    {
        await using var w = await LeadCrmWorld.StartAsync(provider);
        var id = await w.SeedAsync();
        var other = await w.SeedAsync();

        using (var deleted = await w.Owner.DeleteAsync($"/api/v1/leads/{id}"))
        {
            Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        }
        Assert.NotNull((await w.LeadAsync(id)).DeletedAt);
        Assert.Equal([other], await LeadCrmWorld.IdsAsync(w.Owner, ""));
        Assert.Equal([id], await LeadCrmWorld.IdsAsync(w.Owner, "deleted=true"));
        var detail = await w.Owner.GetFromJsonAsync<JsonElement>($"/api/v1/leads/{id}");
        Assert.NotEqual(JsonValueKind.Null, detail.GetProperty("deleted_at").ValueKind);

        // A deleted lead is out of the workflow until it is restored.
        using (var moved = await w.Owner.PostAsJsonAsync($"/api/v1/leads/{id}/status", new { status = "contacted" }))
        {
            Assert.Equal(HttpStatusCode.Conflict, moved.StatusCode);
        }
        using (var again = await w.Owner.DeleteAsync($"/api/v1/leads/{id}"))
        {
            Assert.Equal(HttpStatusCode.NoContent, again.StatusCode);
        }

        var restored = await SendAsync<JsonElement>(w.Owner.PostAsync($"/api/v1/leads/{id}/restore", null));
        Assert.Equal(JsonValueKind.Null, restored.GetProperty("deleted_at").ValueKind);
        Assert.Null((await w.LeadAsync(id)).DeletedAt);
        Assert.Equal([other, id], await LeadCrmWorld.IdsAsync(w.Owner, ""));
        Assert.Empty(await LeadCrmWorld.IdsAsync(w.Owner, "deleted=true"));

        Assert.Equal(["deleted", "restored"], (await TimelineAsync(w.Owner, id)).Select(e => e.GetProperty("type").GetString()));
        var audit = await w.Host.QueryAsync(db => db.AuditLog.Where(a => a.TargetType == "lead").OrderBy(a => a.Id).ToListAsync());
        Assert.Equal(["lead.deleted", "lead.restored"], audit.Select(a => a.Action));
        Assert.All(audit, a =>
        {
            Assert.Equal(id.ToString(System.Globalization.CultureInfo.InvariantCulture), a.TargetId);
            Assert.Equal(w.WorkspaceId, a.WorkspaceId);
            Assert.NotNull(a.ActorUserId);
        });
    }

    internal static async Task<JsonElement> MoveAsync(HttpClient client, long id, string status, string? reason = null)
    {
        using var response = await client.PostAsJsonAsync($"/api/v1/leads/{id}/status", new { status, reason });
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{status}: {(int)response.StatusCode} {body}");
        return JsonSerializer.Deserialize<JsonElement>(body);
    }

    private static async Task<JsonElement> AssertRefusedAsync(HttpClient client, long id, string status, string[] allowed)
    {
        using var response = await client.PostAsJsonAsync($"/api/v1/leads/{id}/status", new { status, reason = "because" });
        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(allowed, problem.GetProperty("allowed").EnumerateArray().Select(a => a.GetString()!));
        var detail = problem.GetProperty("detail").GetString()!;
        Assert.Contains(allowed.Length == 0 ? "none" : string.Join(", ", allowed), detail, StringComparison.Ordinal);
        return problem;
    }

    /// <summary>By the account behind the bootstrap token, shown by the label its requests carry.</summary>
    private static void AssertByOwner(LeadCrmWorld w, JsonElement e)
    {
        Assert.Equal(w.OwnerUserId, e.GetProperty("actor_user_id").GetInt64());
        Assert.False(string.IsNullOrWhiteSpace(e.GetProperty("actor").GetString()));
    }

    /// <summary>The timeline after its first entry, which is always the lead's arrival (read from the lead itself).</summary>
    private static async Task<List<JsonElement>> TimelineAsync(HttpClient client, long id)
    {
        var timeline = (await client.GetFromJsonAsync<JsonElement>($"/api/v1/leads/{id}")).GetProperty("timeline").EnumerateArray().ToList();
        Assert.Equal("created", timeline[0].GetProperty("type").GetString());
        return timeline[1..];
    }

    private static async Task<T> SendAsync<T>(Task<HttpResponseMessage> request)
    {
        using var response = await request;
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode} {body}");
        return JsonSerializer.Deserialize<T>(body)!;
    }
}
