using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Leadwire.Data;
using Leadwire.Features.Accounts;
using Leadwire.Infrastructure;
using Leadwire.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Leadwire.Tests.Integration;

/// <summary>C4: automatic assignment by page/form/campaign rules and by round-robin; the assignment settings API.</summary>
public sealed class IntakeAssignmentTests
{
    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task PageRule_NewLeadFromThePage_AssignedToTheRulesAgent(DatabaseProvider provider)
    {
        await using var s = await CaptureScenario.StartAsync(provider);
        var (_, workspaceId) = await Intake.PageAsync(s);
        var (agentId, agent) = await TestAccounts.CreateMemberAsync(s.Leadwire, workspaceId, WorkspaceRole.Agent, "agent@example.com");
        var (otherAgentId, _) = await TestAccounts.CreateMemberAsync(s.Leadwire, workspaceId, WorkspaceRole.Agent, "other.agent@example.com");

        // A campaign rule that cannot match comes first; the page rule after it decides.
        using (var campaign = await s.Leadwire.Api.PostAsJsonAsync("/api/v1/assignment/rules", new { campaign_id = "no-such-campaign", assignee_user_id = otherAgentId, position = 0 }))
        {
            Assert.Equal(HttpStatusCode.Created, campaign.StatusCode);
        }
        using var created = await s.Leadwire.Api.PostAsJsonAsync("/api/v1/assignment/rules", new { page_id = s.Page.Id, assignee_user_id = agentId, position = 1 });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var rule = await created.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(s.Page.Id, rule.GetProperty("page_id").GetString());
        Assert.Equal(agentId, rule.GetProperty("assignee_user_id").GetInt64());
        var ruleId = rule.GetProperty("id").GetInt64();

        var metaId = await Intake.SendLeadAsync(s, ("full_name", "Jane Doe"), ("email", "jane@example.com"));
        var lead = await Intake.WaitForLeadAsync(s, metaId, l => l.AssigneeUserId is not null, "the lead to be assigned");

        Assert.Equal(agentId, lead.AssigneeUserId);
        Assert.NotNull(lead.AssignedAt);
        var assigned = await s.Leadwire.QueryAsync(db => db.LeadEvents.SingleAsync(e => e.LeadId == lead.Id && e.Type == LeadEventTypes.Assigned));
        Assert.Equal($"rule #{ruleId}", assigned.Actor);
        var data = JsonDocument.Parse(assigned.DataJson!).RootElement;
        Assert.Equal(agentId, data.GetProperty("to").GetInt64());
        Assert.Equal("agent@example.com", data.GetProperty("to_email").GetString());
        Assert.Equal(ruleId, data.GetProperty("rule_id").GetInt64());
        // Manual mode: the workspace's round-robin turn did not move.
        Assert.Null(await s.Leadwire.QueryAsync(db => db.Workspaces.Where(w => w.Id == workspaceId).Select(w => w.LastRoundRobinUserId).SingleAsync()));

        // The agent now works the lead, and so sees its contact.
        using var contact = await agent.GetAsync($"/api/v1/contacts/{lead.ContactId}");
        Assert.Equal(HttpStatusCode.OK, contact.StatusCode);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task RoundRobin_FourLeads_AlternateBetweenTheTwoAgents(DatabaseProvider provider)
    {
        await using var s = await CaptureScenario.StartAsync(provider);
        var (_, workspaceId) = await Intake.PageAsync(s);
        var (first, _) = await TestAccounts.CreateMemberAsync(s.Leadwire, workspaceId, WorkspaceRole.Agent, "first@example.com");
        await TestAccounts.CreateMemberAsync(s.Leadwire, workspaceId, WorkspaceRole.Admin, "admin@example.com");
        var (second, _) = await TestAccounts.CreateMemberAsync(s.Leadwire, workspaceId, WorkspaceRole.Agent, "second@example.com");

        using (var mode = await s.Leadwire.Api.PutAsJsonAsync("/api/v1/assignment/mode", new { mode = "round_robin" }))
        {
            Assert.Equal(HttpStatusCode.OK, mode.StatusCode);
            Assert.Equal("round_robin", (await mode.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("mode").GetString());
        }

        // Two leads, then two more after the first two were assigned: the turn carries over between runs.
        var ids = new List<string>();
        foreach (var round in new[] { 0, 1 })
        {
            var batch = new List<string>();
            foreach (var n in new[] { 1, 2 })
            {
                batch.Add(await Intake.SendLeadAsync(s, ("full_name", $"Lead {round}.{n}"), ("email", $"lead{round}{n}@example.com")));
            }
            foreach (var id in batch)
            {
                await Intake.WaitForLeadAsync(s, id, l => l.AssigneeUserId is not null, $"lead {id} to be assigned");
            }
            ids.AddRange(batch);
        }

        var leads = await s.Leadwire.QueryAsync(db => db.Leads.Where(l => ids.Contains(l.MetaLeadId)).OrderBy(l => l.Id).ToListAsync());
        Assert.Equal([first, second, first, second], leads.Select(l => l.AssigneeUserId!.Value));
        var actors = await s.Leadwire.QueryAsync(db => db.LeadEvents.Where(e => e.Type == LeadEventTypes.Assigned).Select(e => e.Actor).ToListAsync());
        Assert.Equal(4, actors.Count);
        Assert.All(actors, a => Assert.Equal("round-robin", a));
        Assert.Equal(second, await s.Leadwire.QueryAsync(db => db.Workspaces.Where(w => w.Id == workspaceId).Select(w => w.LastRoundRobinUserId).SingleAsync()));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task AssignmentApi_InvalidRulesRefusedByField_AdminsOnly_OtherWorkspacesInvisible(DatabaseProvider provider)
    {
        await using var s = await CaptureScenario.StartAsync(provider);
        var api = s.Leadwire.Api;
        var (_, workspaceId) = await Intake.PageAsync(s);
        var (agentId, agent) = await TestAccounts.CreateMemberAsync(s.Leadwire, workspaceId, WorkspaceRole.Agent, "agent@example.com");
        var (_, admin) = await TestAccounts.CreateMemberAsync(s.Leadwire, workspaceId, WorkspaceRole.Admin, "admin@example.com");
        var elsewhere = await TestAccounts.CreateWorkspaceAsync(s.Leadwire, "Other business");
        var (outsiderId, outsider) = await TestAccounts.CreateMemberAsync(s.Leadwire, elsewhere, WorkspaceRole.Owner, "owner@other.example");

        Assert.Equal(["assignee_user_id"], await Errors(await api.PostAsJsonAsync("/api/v1/assignment/rules", new { page_id = s.Page.Id, assignee_user_id = outsiderId })));
        Assert.Equal(["assignee_user_id"], await Errors(await api.PostAsJsonAsync("/api/v1/assignment/rules", new { page_id = s.Page.Id })));
        Assert.Equal(["page_id"], await Errors(await api.PostAsJsonAsync("/api/v1/assignment/rules", new { page_id = "999", assignee_user_id = agentId })));
        Assert.Equal(["form_id"], await Errors(await api.PostAsJsonAsync("/api/v1/assignment/rules", new { form_id = "999", assignee_user_id = agentId })));
        Assert.Equal(["mode"], await Errors(await api.PutAsJsonAsync("/api/v1/assignment/mode", new { mode = "sideways" })));
        // A page registered in another workspace is not this workspace's to route.
        Assert.Equal(["page_id"], await Errors(await outsider.PostAsJsonAsync("/api/v1/assignment/rules", new { page_id = s.Page.Id, assignee_user_id = outsiderId })));

        using (var forbidden = await agent.PostAsJsonAsync("/api/v1/assignment/rules", new { page_id = s.Page.Id, assignee_user_id = agentId }))
        {
            Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        }
        using (var forbidden = await agent.GetAsync("/api/v1/assignment/rules"))
        {
            Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        }

        using var created = await admin.PostAsJsonAsync("/api/v1/assignment/rules", new { form_id = s.Form.Id, campaign_id = "320000000000001", assignee_user_id = agentId });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var ruleId = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
        var settings = await admin.GetFromJsonAsync<JsonElement>("/api/v1/assignment/rules");
        Assert.Equal("manual", settings.GetProperty("mode").GetString());
        var rule = Assert.Single(settings.GetProperty("items").EnumerateArray());
        Assert.Equal(s.Form.Id, rule.GetProperty("form_id").GetString());
        Assert.Equal("320000000000001", rule.GetProperty("campaign_id").GetString());
        Assert.Equal(JsonValueKind.Null, rule.GetProperty("page_id").ValueKind);

        Assert.Empty((await outsider.GetFromJsonAsync<JsonElement>("/api/v1/assignment/rules")).GetProperty("items").EnumerateArray());
        using (var foreign = await outsider.DeleteAsync($"/api/v1/assignment/rules/{ruleId}"))
        {
            Assert.Equal(HttpStatusCode.NotFound, foreign.StatusCode);
        }
        using (var deleted = await admin.DeleteAsync($"/api/v1/assignment/rules/{ruleId}"))
        {
            Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        }
        using (var again = await admin.DeleteAsync($"/api/v1/assignment/rules/{ruleId}"))
        {
            Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
        }
        Assert.Empty((await admin.GetFromJsonAsync<JsonElement>("/api/v1/assignment/rules")).GetProperty("items").EnumerateArray());
        // Every endpoint is in the OpenAPI document.
        var paths = (await s.Leadwire.Anonymous.GetFromJsonAsync<JsonElement>("/openapi/v1.json")).GetProperty("paths");
        foreach (var path in new[] { "/api/v1/assignment/rules", "/api/v1/assignment/rules/{id}", "/api/v1/assignment/mode", "/api/v1/scoring/rules", "/api/v1/recommendations", "/api/v1/contacts/{id}" })
        {
            Assert.True(paths.TryGetProperty(path, out _), $"{path} is missing from the OpenAPI document");
        }
        var audited = await s.Leadwire.QueryAsync(db => db.AuditLog.Where(a => a.WorkspaceId == workspaceId && a.Action.StartsWith("assignment.")).Select(a => a.Action).ToListAsync());
        Assert.Equal(["assignment.rule_created", "assignment.rule_deleted"], audited.Order(StringComparer.Ordinal));
    }

    private static async Task<string[]> Errors(HttpResponseMessage response)
    {
        using (response)
        {
            Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
            var body = await response.Content.ReadFromJsonAsync<JsonElement>();
            return body.GetProperty("errors").EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal).ToArray();
        }
    }
}
