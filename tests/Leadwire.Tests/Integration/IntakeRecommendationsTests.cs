using System.Net.Http.Json;
using System.Text.Json;
using Leadwire.Data;
using Leadwire.Features.Accounts;
using Leadwire.Features.Scoring;
using Leadwire.Infrastructure;
using Leadwire.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Leadwire.Tests.Integration;

/// <summary>D2, D3: recommendations, and the first-contact SLA breach recorded once with its timeline event.</summary>
public sealed class IntakeRecommendationsTests
{
    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Recommendations_ListHighScoreUnassignedLateAndLowScoreWorkedLeads_AgentsOnlyTheirs(DatabaseProvider provider)
    {
        // Ageing by the day: the hourly rescore must not run again in the middle of the test and touch the seeds.
        await using var s = await CaptureScenario.StartAsync(provider, settings => settings["Leadwire:Intake:AgeingInterval"] = "1.00:00:00");
        var (_, workspaceId) = await Intake.PageAsync(s);
        var (agentId, agent) = await TestAccounts.CreateMemberAsync(s.Leadwire, workspaceId, WorkspaceRole.Agent, "agent@example.com");
        // The ageing rescore runs once at start; seeded scores must not meet it.
        await s.WaitForJobAsync(AgeLeadScores.Kind, JobStatus.Succeeded);
        var now = TimeProvider.System.GetUtcNow().UtcDateTime;

        var hot = await Intake.SeedAsync(s, l => { l.FullName = "Hot Lead"; l.CreatedTime = now.AddMinutes(-5); Intake.Scored(l, 85); });
        var hotTaken = await Intake.SeedAsync(s, l => { l.FullName = "Taken"; l.AssigneeUserId = agentId; Intake.Scored(l, 90); });
        var late = await Intake.SeedAsync(s, l => { l.FullName = "Waiting"; l.CreatedTime = now.AddHours(-3); Intake.Scored(l, 40); });
        var lateTest = await Intake.SeedAsync(s, l => { l.IsTest = true; l.CreatedTime = now.AddHours(-3); Intake.Scored(l, 40); });
        var weak = await Intake.SeedAsync(s, l => { l.FullName = "Weak"; l.Status = LeadStatus.Contacted; l.AssigneeUserId = agentId; Intake.Scored(l, 12); });
        var weakNew = await Intake.SeedAsync(s, l => { l.Status = LeadStatus.New; Intake.Scored(l, 12); });
        var deleted = await Intake.SeedAsync(s, l => { l.DeletedAt = now; Intake.Scored(l, 95); });

        var all = await s.Leadwire.Api.GetFromJsonAsync<JsonElement>("/api/v1/recommendations");
        Assert.Equal(60, all.GetProperty("first_contact_sla_minutes").GetInt32());
        var high = Ids(all, "high_score_unassigned");
        Assert.Contains(hot, high);
        Assert.DoesNotContain(hotTaken, high);
        Assert.DoesNotContain(deleted, high);
        Assert.DoesNotContain(weakNew, high);
        var hotItem = all.GetProperty("high_score_unassigned").EnumerateArray().Single(i => i.GetProperty("lead_id").GetInt64() == hot);
        Assert.Equal("Hot Lead", hotItem.GetProperty("name").GetString());
        Assert.Equal(85, hotItem.GetProperty("score").GetInt32());
        Assert.StartsWith("Score 85 and nobody assigned", hotItem.GetProperty("why").GetString(), StringComparison.Ordinal);

        Assert.Equal([late], Ids(all, "sla_breaches"));
        Assert.Contains("the SLA is 60 min", all.GetProperty("sla_breaches")[0].GetProperty("why").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain(lateTest, Ids(all, "sla_breaches"));

        Assert.Equal([weak], Ids(all, "low_score_in_progress"));
        var weakItem = all.GetProperty("low_score_in_progress")[0];
        Assert.Equal("contacted", weakItem.GetProperty("status").GetString());
        Assert.Equal("Score 12 while contacted; weakest: engagement 12/100, contact_completeness 0/30.", weakItem.GetProperty("why").GetString());

        // An agent's lists hold only the agent's own leads.
        var mine = await agent.GetFromJsonAsync<JsonElement>("/api/v1/recommendations");
        Assert.Empty(Ids(mine, "high_score_unassigned"));
        Assert.Empty(Ids(mine, "sla_breaches"));
        Assert.Equal([weak], Ids(mine, "low_score_in_progress"));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task SlaBreach_NewLeadPastTheSla_MarkedOnceWithOneTimelineEvent(DatabaseProvider provider)
    {
        await using var s = await CaptureScenario.StartAsync(provider, settings => settings["Leadwire:Intake:SlaCheckInterval"] = "00:00:00.200");
        var now = TimeProvider.System.GetUtcNow().UtcDateTime;
        var (_, workspaceId) = await Intake.PageAsync(s);
        await Intake.WriteAsync(s, db => db.Workspaces.Where(w => w.Id == workspaceId).ExecuteUpdateAsync(u => u.SetProperty(w => w.FirstContactSlaMinutes, 30)));

        var breached = await Intake.SeedAsync(s, l => l.CreatedTime = now.AddMinutes(-45));
        var inTime = await Intake.SeedAsync(s, l => l.CreatedTime = now.AddMinutes(-10));
        var test = await Intake.SeedAsync(s, l => { l.CreatedTime = now.AddMinutes(-45); l.IsTest = true; });
        var contacted = await Intake.SeedAsync(s, l => { l.CreatedTime = now.AddMinutes(-45); l.Status = LeadStatus.Contacted; });
        var ancient = await Intake.SeedAsync(s, l => l.CreatedTime = now.AddDays(-30));

        var marked = await Eventually.ReturnsAsync(
            () => s.Leadwire.QueryAsync(db => db.Leads.Where(l => l.Id == breached).Select(l => l.SlaBreachedAt).SingleAsync()),
            at => at is not null, Intake.Patience, "the breach to be recorded");
        // Several more checks run; none records it again.
        var checks = await s.Leadwire.QueryAsync(db => db.Jobs.CountAsync(j => j.Kind == MarkSlaBreaches.Kind && j.Status == JobStatus.Succeeded));
        await Eventually.ReturnsAsync(
            () => s.Leadwire.QueryAsync(db => db.Jobs.CountAsync(j => j.Kind == MarkSlaBreaches.Kind && j.Status == JobStatus.Succeeded)),
            n => n >= checks + 3, Intake.Patience, "three more SLA checks");

        Assert.Equal(marked, await s.Leadwire.QueryAsync(db => db.Leads.Where(l => l.Id == breached).Select(l => l.SlaBreachedAt).SingleAsync()));
        var events = await s.Leadwire.QueryAsync(db => db.LeadEvents.Where(e => e.Type == LeadEventTypes.SlaBreached).ToListAsync());
        var breach = Assert.Single(events);
        Assert.Equal(breached, breach.LeadId);
        Assert.Equal("sla", breach.Actor);
        Assert.Equal(marked, breach.At);
        var data = JsonDocument.Parse(breach.DataJson!).RootElement;
        Assert.Equal(30, data.GetProperty("sla_minutes").GetInt32());
        Assert.InRange(data.GetProperty("waited_minutes").GetInt32(), 45, 50);

        var untouched = await s.Leadwire.QueryAsync(db => db.Leads.Where(l => new[] { inTime, test, contacted, ancient }.Contains(l.Id)).Select(l => l.SlaBreachedAt).ToListAsync());
        Assert.Equal(4, untouched.Count);
        Assert.All(untouched, at => Assert.Null(at));
    }

    private static long[] Ids(JsonElement recommendations, string list) =>
        recommendations.GetProperty(list).EnumerateArray().Select(i => i.GetProperty("lead_id").GetInt64()).ToArray();
}
