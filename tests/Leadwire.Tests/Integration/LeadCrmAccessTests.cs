using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Leadwire.Data;
using Leadwire.Infrastructure;
using Leadwire.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Leadwire.Tests.Integration;

/// <summary>K1 on the lead CRM: an agent works only the leads assigned to them; another workspace's leads do not exist.</summary>
public sealed class LeadCrmAccessTests
{
    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Agent_SeesAndWorksOnlyAssignedLeads_CannotDeleteOrAssign(DatabaseProvider provider)
    {
        await using var w = await LeadCrmWorld.StartAsync(provider);
        var member = await TestAccounts.CreateMemberAsync(w.Host, w.WorkspaceId, WorkspaceRole.Agent, "agent@example.com");
        using var agent = member.Client;
        var colleague = await TestAccounts.CreateMemberAsync(w.Host, w.WorkspaceId, WorkspaceRole.Agent, "colleague@example.com");
        colleague.Client.Dispose();
        var contactId = await w.AddContactAsync("pat@example.com");
        var mine = await w.SeedAsync(l => { l.AssigneeUserId = member.UserId; l.ContactId = contactId; });
        var mineToo = await w.SeedAsync(l => { l.AssigneeUserId = member.UserId; l.ContactId = contactId; });
        var theirs = await w.SeedAsync(l => { l.AssigneeUserId = colleague.UserId; l.ContactId = contactId; });
        var nobodys = await w.SeedAsync();
        await w.TagAsync(theirs, "secret-tag");

        Assert.Equal([mineToo, mine], await LeadCrmWorld.IdsAsync(agent, ""));
        Assert.Empty(await LeadCrmWorld.IdsAsync(agent, "assignee=none"));
        Assert.Empty(await LeadCrmWorld.IdsAsync(agent, $"assignee={colleague.UserId}"));
        Assert.Equal([nobodys, theirs, mineToo, mine], await LeadCrmWorld.IdsAsync(w.Owner, ""));

        // The contact's other leads: only those this caller can open.
        var detail = await agent.GetFromJsonAsync<JsonElement>($"/api/v1/leads/{mine}");
        Assert.Equal(contactId, detail.GetProperty("contact_id").GetInt64());
        Assert.Equal([mineToo], detail.GetProperty("sibling_lead_ids").EnumerateArray().Select(e => e.GetInt64()));
        var ownerDetail = await w.Owner.GetFromJsonAsync<JsonElement>($"/api/v1/leads/{mine}");
        Assert.Equal([mineToo, theirs], ownerDetail.GetProperty("sibling_lead_ids").EnumerateArray().Select(e => e.GetInt64()));

        // Tag counts cover only the agent's leads.
        var tags = await agent.GetFromJsonAsync<JsonElement>("/api/v1/tags");
        Assert.Equal(0, tags.GetProperty("items").GetArrayLength());

        foreach (var other in new[] { theirs, nobodys })
        {
            await AssertNotFoundEverywhereAsync(agent, other, includeAdminActions: false);
        }
        Assert.Empty(await w.Host.QueryAsync(db => db.LeadEvents.Where(e => e.LeadId == theirs || e.LeadId == nobodys).ToListAsync()));

        // On their own lead: status, notes, interactions and tags work; delete, restore and assignment are for admins.
        Assert.Equal("contacted", (await LeadCrmWorkTests.MoveAsync(agent, mine, "contacted")).GetProperty("status").GetString());
        using (var note = await agent.PostAsJsonAsync($"/api/v1/leads/{mine}/notes", new { text = "Called back" }))
        {
            Assert.Equal(HttpStatusCode.Created, note.StatusCode);
        }
        using (var call = await agent.PostAsJsonAsync($"/api/v1/leads/{mine}/interactions", new { kind = "call", outcome = "Booked test drive" }))
        {
            Assert.Equal(HttpStatusCode.Created, call.StatusCode);
        }
        using (var tag = await agent.PostAsJsonAsync($"/api/v1/leads/{mine}/tags", new { tag = "hot" }))
        {
            Assert.Equal(HttpStatusCode.OK, tag.StatusCode);
        }
        foreach (var forbidden in new Func<Task<HttpResponseMessage>>[]
                 {
                     () => agent.DeleteAsync($"/api/v1/leads/{mine}"),
                     () => agent.PostAsync($"/api/v1/leads/{mine}/restore", null),
                     () => agent.PutAsJsonAsync($"/api/v1/leads/{mine}/assignee", new { user_id = colleague.UserId }),
                     () => agent.GetAsync("/api/v1/leads?deleted=true"),
                 })
        {
            using var response = await forbidden();
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }
        Assert.Null((await w.LeadAsync(mine)).DeletedAt);
        Assert.Equal(member.UserId, (await w.LeadAsync(mine)).AssigneeUserId);

        var timeline = (await agent.GetFromJsonAsync<JsonElement>($"/api/v1/leads/{mine}")).GetProperty("timeline").EnumerateArray()
            .Where(e => e.GetProperty("type").GetString() is not ("score_changed" or "created")).ToList();
        Assert.Equal(["status_changed", "note", "interaction", "tagged"], timeline.Select(e => e.GetProperty("type").GetString()));
        Assert.All(timeline, e =>
        {
            Assert.Equal("agent@example.com", e.GetProperty("actor").GetString());
            Assert.Equal(member.UserId, e.GetProperty("actor_user_id").GetInt64());
        });

        // Once an admin deletes the agent's lead, it is gone for the agent.
        using (var deleted = await w.Owner.DeleteAsync($"/api/v1/leads/{mineToo}"))
        {
            Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        }
        Assert.Equal([mine], await LeadCrmWorld.IdsAsync(agent, ""));
        await AssertNotFoundEverywhereAsync(agent, mineToo, includeAdminActions: false);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task AnotherWorkspacesLead_IsNotFoundForEveryAction(DatabaseProvider provider)
    {
        await using var w = await LeadCrmWorld.StartAsync(provider);
        var otherWorkspace = await TestAccounts.CreateWorkspaceAsync(w.Host, "Other business");
        var otherOwner = await TestAccounts.CreateMemberAsync(w.Host, otherWorkspace, WorkspaceRole.Owner, "owner@other.example");
        using var theirOwner = otherOwner.Client;
        var otherPage = await w.AddPageAsync("100000000000009", otherWorkspace);
        var foreign = await w.SeedAsync(l =>
        {
            l.WorkspaceId = otherWorkspace;
            l.PageId = otherPage.Id;
            l.MetaPageId = otherPage.MetaPageId;
            l.EmailNormalized = "foreign@example.com";
        });
        var ours = await w.SeedAsync(l => l.EmailNormalized = "foreign@example.com");
        await w.TagAsync(ours, "ours");

        Assert.Equal([ours], await LeadCrmWorld.IdsAsync(w.Owner, "q=foreign@example.com"));
        Assert.Equal([ours], await LeadCrmWorld.IdsAsync(w.Owner, ""));
        await AssertNotFoundEverywhereAsync(w.Owner, foreign, includeAdminActions: true);
        var untouched = await w.LeadAsync(foreign);
        Assert.Equal(LeadStatus.New, untouched.Status);
        Assert.Null(untouched.DeletedAt);
        Assert.Null(untouched.UpdatedAt);

        // The other workspace's owner sees their lead, and none of ours (not even our tags).
        Assert.Equal([foreign], await LeadCrmWorld.IdsAsync(theirOwner, ""));
        await AssertNotFoundEverywhereAsync(theirOwner, ours, includeAdminActions: true);
        var theirTags = await theirOwner.GetFromJsonAsync<JsonElement>("/api/v1/tags");
        Assert.Equal(0, theirTags.GetProperty("items").GetArrayLength());
        using var assignForeignUser = await w.Owner.PutAsJsonAsync($"/api/v1/leads/{ours}/assignee", new { user_id = otherOwner.UserId });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, assignForeignUser.StatusCode);
    }

    private static async Task AssertNotFoundEverywhereAsync(HttpClient client, long id, bool includeAdminActions)
    {
        var requests = new List<(string What, Func<Task<HttpResponseMessage>> Send)>
        {
            ("detail", () => client.GetAsync($"/api/v1/leads/{id}")),
            ("status", () => client.PostAsJsonAsync($"/api/v1/leads/{id}/status", new { status = "contacted" })),
            ("note", () => client.PostAsJsonAsync($"/api/v1/leads/{id}/notes", new { text = "hello" })),
            ("interaction", () => client.PostAsJsonAsync($"/api/v1/leads/{id}/interactions", new { kind = "call", outcome = "ok" })),
            ("replace tags", () => client.PutAsJsonAsync($"/api/v1/leads/{id}/tags", new { tags = new List<string> { "x" } })),
            ("add tag", () => client.PostAsJsonAsync($"/api/v1/leads/{id}/tags", new { tag = "x" })),
            ("remove tag", () => client.DeleteAsync($"/api/v1/leads/{id}/tags/x")),
        };
        if (includeAdminActions)
        {
            requests.Add(("delete", () => client.DeleteAsync($"/api/v1/leads/{id}")));
            requests.Add(("restore", () => client.PostAsync($"/api/v1/leads/{id}/restore", null)));
            requests.Add(("assign", () => client.PutAsJsonAsync($"/api/v1/leads/{id}/assignee", new { user_id = (long?)null })));
        }
        foreach (var (what, send) in requests)
        {
            using var response = await send();
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{what} on lead {id}: {(int)response.StatusCode} {body}");
            Assert.DoesNotContain("\"meta_lead_id\"", body, StringComparison.Ordinal);
        }
    }
}
