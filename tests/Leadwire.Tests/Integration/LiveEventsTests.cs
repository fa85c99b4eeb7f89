using System.Net;
using System.Net.Http.Json;
using Leadwire.Data;
using Leadwire.Infrastructure;
using Leadwire.Tests.Infrastructure;

namespace Leadwire.Tests.Integration;

/// <summary>E3: the server-sent-event feed at GET /api/v1/events, read over real HTTP.</summary>
public sealed class LiveEventsTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task LeadFromMeta_IsOnTheFeed_ThenItsChangeAndTheWorkspaceStats(DatabaseProvider provider)
    {
        await using var s = await CaptureScenario.StartAsync(provider);
        await using var feed = await LiveFeed.OpenAsync(s.Leadwire.Api);
        Assert.Equal(HttpStatusCode.OK, feed.StatusCode);
        Assert.Equal("text/event-stream", feed.MediaType);

        var metaId = await Intake.SendLeadAsync(s, ("full_name", "Live Lead"), ("email", "live.lead@example.com"));
        var created = await feed.NextAsync(e => e.Event == "lead.created", Patience, "lead.created");
        var lead = await Intake.WaitForLeadAsync(s, metaId, _ => true, "the lead");
        Assert.Equal(lead.Id, created.Data.GetProperty("lead_id").GetInt64());
        Assert.Equal(lead.WorkspaceId, created.Data.GetProperty("workspace_id").GetInt64());
        Assert.Equal("lead.created", created.Data.GetProperty("type").GetString());
        await feed.NextAsync(e => e.Event == "stats.changed", Patience, "stats.changed after the new lead");

        using (var moved = await s.Leadwire.Api.PostAsJsonAsync($"/api/v1/leads/{lead.Id}/status", new { status = "contacted" }))
        {
            moved.EnsureSuccessStatusCode();
        }
        var updated = await feed.NextAsync(e => e.Event == "lead.updated", Patience, "lead.updated after the status change");
        Assert.Equal(lead.Id, updated.Data.GetProperty("lead_id").GetInt64());
        Assert.True(updated.Id > created.Id, "event ids count up on a connection");
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Feed_ForOneLeadOrForAnAgent_CarriesOnlyThoseLeads(DatabaseProvider provider)
    {
        await using var s = await CaptureScenario.StartAsync(provider);
        var (_, workspaceId) = await Intake.PageAsync(s);
        var (agentId, agent) = await TestAccounts.CreateMemberAsync(s.Leadwire, workspaceId, WorkspaceRole.Agent, "live.agent@example.com");
        var others = await Intake.SeedAsync(s, l => l.FullName = "Someone else's");
        var mine = await Intake.SeedAsync(s, l => { l.FullName = "The agent's"; l.AssigneeUserId = agentId; });

        using (var anonymous = await s.Leadwire.Anonymous.GetAsync("/api/v1/events"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        }
        await using var agentFeed = await LiveFeed.OpenAsync(agent);
        await using var oneLead = await LiveFeed.OpenAsync(s.Leadwire.Api, $"?lead_id={mine}");
        Assert.Equal(HttpStatusCode.OK, agentFeed.StatusCode);

        // The other lead changes first: had either feed let it through, it would be the first lead event there.
        foreach (var id in new[] { others, mine })
        {
            using var note = await s.Leadwire.Api.PostAsJsonAsync($"/api/v1/leads/{id}/notes", new { text = "Called back" });
            note.EnsureSuccessStatusCode();
        }
        var agentSaw = await agentFeed.NextAsync(e => e.Event.StartsWith("lead.", StringComparison.Ordinal), Patience, "a lead event for the agent");
        Assert.Equal(mine, agentSaw.Data.GetProperty("lead_id").GetInt64());
        var filtered = await oneLead.NextAsync(_ => true, Patience, "an event for the one lead");
        Assert.Equal(mine, filtered.Data.GetProperty("lead_id").GetInt64());

        // Handing the other lead to the agent is news for the agent.
        using (var assign = await s.Leadwire.Api.PutAsJsonAsync($"/api/v1/leads/{others}/assignee", new { user_id = agentId }))
        {
            assign.EnsureSuccessStatusCode();
        }
        var assigned = await agentFeed.NextAsync(e => e.Event == "lead.assigned", Patience, "lead.assigned for the agent");
        Assert.Equal(others, assigned.Data.GetProperty("lead_id").GetInt64());
        Assert.Equal(agentId, assigned.Data.GetProperty("assignee_user_id").GetInt64());
        Assert.All(await oneLead.DrainAsync(TimeSpan.FromMilliseconds(500)), e => Assert.Equal(mine, e.Data.GetProperty("lead_id").GetInt64()));
    }

    [Fact]
    public async Task TwoInstancesOnOnePostgres_ALeadStoredByOneIsOnTheOthersFeed()
    {
        await using var s = await CaptureScenario.StartAsync(DatabaseProvider.Postgres);
        // The second instance runs no jobs, so it can only have heard of the lead from the first one.
        await using var second = await LeadwireHost.StartAsync(s.Database, s.Emulator.BaseUrl, settings => settings["Leadwire:Jobs:RunnerEnabled"] = "false");
        await using var feed = await LiveFeed.OpenAsync(second.Api);
        Assert.Equal(HttpStatusCode.OK, feed.StatusCode);

        // Meta delivers to the first instance; the second one learns of the lead through PostgreSQL.
        var metaId = await Intake.SendLeadAsync(s, ("full_name", "Seen Elsewhere"));
        var lead = await Intake.WaitForLeadAsync(s, metaId, _ => true, "the lead");
        var created = await feed.NextAsync(e => e.Event == "lead.created" && e.Data.GetProperty("lead_id").GetInt64() == lead.Id, Patience, "lead.created on the second instance");
        Assert.Equal(lead.WorkspaceId, created.Data.GetProperty("workspace_id").GetInt64());
    }
}
