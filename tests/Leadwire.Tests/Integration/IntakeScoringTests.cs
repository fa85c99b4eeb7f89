using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Leadwire.Data;
using Leadwire.Features.Accounts;
using Leadwire.Features.Scoring;
using Leadwire.Infrastructure;
using Leadwire.MetaEmulator;
using Leadwire.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Leadwire.Tests.Integration;

/// <summary>D1: keys, score and created event at ingestion; the scoring rules API and rescoring after a change.</summary>
public sealed class IntakeScoringTests
{
    private static readonly string[] SuvKeyword = ["suv"];

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Lead_ArrivingFromMeta_StoredWithKeysScoreReasonsAndCreatedEvent(DatabaseProvider provider)
    {
        await using var s = await CaptureScenario.StartAsync(provider);
        var metaId = await Intake.SendLeadAsync(s,
            ("full_name", "  Jane   DOE "), ("email", " Jane.Doe@Example.COM"), ("phone_number", "+1 (555) 555-0100"), ("preferred_model", "SUV"));

        var lead = await Intake.WaitForLeadAsync(s, metaId, l => l.ContactId is not null, "the lead to be linked");

        Assert.Equal("jane.doe@example.com", lead.EmailNormalized);
        Assert.Equal("15555550100", lead.PhoneNormalized);
        Assert.Equal("jane doe", lead.NameNormalized);
        // Name, email and phone 30; just created 20; answered the custom question 25; no activity yet.
        Assert.Equal(75, lead.Score);
        // Scored as it was mapped, just before the write that stored it.
        Assert.InRange(lead.ScoredAt!.Value, lead.StoredAt.AddSeconds(-5), lead.StoredAt);
        var reasons = JsonDocument.Parse(lead.ScoreReasonsJson!).RootElement.EnumerateArray().ToList();
        Assert.Equal(
            ["contact_completeness:30/30", "freshness:20/20", "interest:25/25", "engagement:0/15", "recency:0/10"],
            reasons.Select(r => $"{r.GetProperty("factor").GetString()}:{r.GetProperty("points").GetInt32()}/{r.GetProperty("max_points").GetInt32()}"));
        Assert.Equal(lead.Score, reasons.Sum(r => r.GetProperty("points").GetInt32()));
        Assert.All(reasons, r => Assert.False(string.IsNullOrWhiteSpace(r.GetProperty("explanation").GetString())));

        // The created entry is read from the lead, not stored: it heads the timeline of the detail.
        Assert.False(await s.Leadwire.QueryAsync(db => db.LeadEvents.AnyAsync(e => e.LeadId == lead.Id && e.Type == LeadEventTypes.Created)));
        var detail = await s.Leadwire.Api.GetFromJsonAsync<JsonElement>($"/api/v1/leads/{lead.Id}");
        var created = detail.GetProperty("timeline")[0];
        Assert.Equal("created", created.GetProperty("type").GetString());
        Assert.Equal("meta", created.GetProperty("actor").GetString());
        Assert.Equal(lead.StoredAt, created.GetProperty("at").GetDateTime());
        Assert.Equal("webhook", created.GetProperty("data").GetProperty("source").GetString());
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task ScoringRules_BadRulesRefusedByField_GoodRulesStoredAndLeadsRescored(DatabaseProvider provider)
    {
        await using var s = await CaptureScenario.StartAsync(provider);
        var api = s.Leadwire.Api;
        var (_, workspaceId) = await Intake.PageAsync(s);
        var (_, agent) = await TestAccounts.CreateMemberAsync(s.Leadwire, workspaceId, WorkspaceRole.Agent, "agent@example.com");
        var metaId = await Intake.SendLeadAsync(s, ("full_name", "Jane Doe"), ("email", "jane@example.com"), ("phone_number", "+15555550100"), ("preferred_model", "SUV"));
        var before = await Intake.WaitForLeadAsync(s, metaId, l => l.ContactId is not null, "the lead");
        Assert.Equal(75, before.Score);

        var defaults = await agent.GetFromJsonAsync<JsonElement>("/api/v1/scoring/rules");
        Assert.Equal(30, defaults.GetProperty("contact_completeness_weight").GetInt32());
        Assert.Equal(24, defaults.GetProperty("freshness_half_life_hours").GetDouble());

        var badWeights = await Errors(await api.PutAsJsonAsync("/api/v1/scoring/rules", new
        {
            contact_completeness_weight = 60, freshness_weight = 20, interest_weight = 25, engagement_weight = 15, recency_weight = 10, freshness_half_life_hours = -1,
        }));
        Assert.Contains("weights", badWeights);
        Assert.Contains("freshness_half_life_hours", badWeights);
        Assert.Equal(["freshnes_weight"], await Errors(await api.PutAsJsonAsync("/api/v1/scoring/rules", new { freshnes_weight = 20 })));
        Assert.Equal(["recency_weight"], await Errors(await api.PutAsJsonAsync("/api/v1/scoring/rules", new { recency_weight = "ten" })));
        using (var forbidden = await agent.PutAsJsonAsync("/api/v1/scoring/rules", new { contact_completeness_weight = 30 }))
        {
            Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        }
        Assert.Null(await s.Leadwire.QueryAsync(db => db.Workspaces.Where(w => w.Id == workspaceId).Select(w => w.ScoringRulesJson).SingleAsync()));

        using (var saved = await api.PutAsJsonAsync("/api/v1/scoring/rules", new
        {
            contact_completeness_weight = 60, freshness_weight = 10, interest_weight = 10, engagement_weight = 10, recency_weight = 10,
            interest_keywords = SuvKeyword,
        }))
        {
            Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
            Assert.Equal(60, (await saved.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("contact_completeness_weight").GetInt32());
        }
        var read = await agent.GetFromJsonAsync<JsonElement>("/api/v1/scoring/rules");
        Assert.Equal(60, read.GetProperty("contact_completeness_weight").GetInt32());
        Assert.Equal(["suv"], read.GetProperty("interest_keywords").EnumerateArray().Select(k => k.GetString()));

        // 60 + 10 + 10 (the answer mentions the keyword) under the new weights, in the background.
        var after = await Intake.WaitForLeadAsync(s, metaId, l => l.Score == 80, "the lead to be rescored under the new rules");
        var contact = JsonDocument.Parse(after.ScoreReasonsJson!).RootElement.EnumerateArray().First();
        Assert.Equal(60, contact.GetProperty("max_points").GetInt32());
        // Rule changes rescore quietly: no score_changed event per lead.
        Assert.False(await s.Leadwire.QueryAsync(db => db.LeadEvents.AnyAsync(e => e.LeadId == after.Id && e.Type == LeadEventTypes.ScoreChanged)));
        Assert.True(await s.Leadwire.QueryAsync(db => db.AuditLog.AnyAsync(a => a.WorkspaceId == workspaceId && a.Action == "scoring.rules_changed")));

        // A lead arriving afterwards is scored under the new rules at once.
        var next = await Intake.SendLeadAsync(s, ("full_name", "Al Smith"), ("preferred_model", "Sedan"));
        var scored = await Intake.WaitForLeadAsync(s, next, l => l.ScoredAt is not null, "the next lead");
        // Name only: a third of 60; just created 10; answered without the keyword: half of 10.
        Assert.Equal(20 + 10 + 5, scored.Score);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Rescore_AfterNoteAndInteraction_ScoreRisesWithOneScoreChangedEvent(DatabaseProvider provider)
    {
        await using var s = await CaptureScenario.StartAsync(provider);
        var metaId = await Intake.SendLeadAsync(s, ("full_name", "Jane Doe"), ("email", "jane@example.com"), ("phone_number", "+15555550100"), ("preferred_model", "SUV"));
        var stored = await Intake.WaitForLeadAsync(s, metaId, l => l.ContactId is not null, "the lead");
        Assert.Equal(75, stored.Score);

        // What the note and interaction endpoints do: add the event, rescore the tracked lead, save both together.
        var scoring = s.Leadwire.Services.GetRequiredService<LeadScoring>();
        await Intake.WriteAsync(s, async db =>
        {
            var now = TimeProvider.System.GetUtcNow().UtcDateTime;
            var lead = await db.Leads.SingleAsync(l => l.Id == stored.Id);
            foreach (var type in new[] { LeadEventTypes.Note, LeadEventTypes.Interaction })
            {
                db.LeadEvents.Add(new LeadEvent { LeadId = lead.Id, WorkspaceId = lead.WorkspaceId, Type = type, Actor = "owner@example.com", At = now });
            }
            var result = await scoring.RescoreAsync(db, lead, now);
            // Two of three interactions: 10 of 15; activity just now: 10 of 10.
            Assert.Equal(95, result.Score);
            await db.SaveChangesAsync();

            // Nothing new: the score stays, and no second event.
            Assert.Equal(95, (await scoring.RescoreAsync(db, lead, now)).Score);
            await db.SaveChangesAsync();
        });

        var after = await Intake.WaitForLeadAsync(s, metaId, _ => true, "the lead");
        Assert.Equal(95, after.Score);
        Assert.Equal(after.Score, JsonDocument.Parse(after.ScoreReasonsJson!).RootElement.EnumerateArray().Sum(r => r.GetProperty("points").GetInt32()));
        var change = Assert.Single(await s.Leadwire.QueryAsync(db => db.LeadEvents.Where(e => e.LeadId == after.Id && e.Type == LeadEventTypes.ScoreChanged).ToListAsync()));
        Assert.Equal("scoring", change.Actor);
        var data = JsonDocument.Parse(change.DataJson!).RootElement;
        Assert.Equal(75, data.GetProperty("from").GetInt32());
        Assert.Equal(95, data.GetProperty("to").GetInt32());
    }

    private static async Task<string[]> Errors(HttpResponseMessage response)
    {
        using (response)
        {
            Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            var body = await response.Content.ReadFromJsonAsync<JsonElement>();
            return body.GetProperty("errors").EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal).ToArray();
        }
    }
}

/// <summary>Helpers shared by the Intake* tests.</summary>
internal static class Intake
{
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    public static Task<(long PageId, long WorkspaceId)> PageAsync(CaptureScenario s) =>
        s.Leadwire.QueryAsync(db => db.Pages.Where(p => p.MetaPageId == s.Page.Id)
            .Select(p => new ValueTuple<long, long>(p.Id, p.WorkspaceId)).SingleAsync());

    /// <summary>Creates a lead in the emulator with exactly these answers and has Meta deliver its webhook.</summary>
    public static async Task<string> SendLeadAsync(CaptureScenario s, params (string Name, string Value)[] answers) =>
        (await s.Meta.CreateLeadAsync(new CreateLeadRequest
        {
            FormId = s.Form.Id,
            FieldData = answers.Select(a => new FieldDataItem { Name = a.Name, Values = [a.Value] }).ToList(),
            Deliver = true,
        })).Id;

    public static async Task<Lead> WaitForLeadAsync(CaptureScenario s, string metaLeadId, Func<Lead, bool> done, string what) =>
        (await Eventually.ReturnsAsync(
            () => s.Leadwire.QueryAsync(db => db.Leads.AsNoTracking().SingleOrDefaultAsync(l => l.MetaLeadId == metaLeadId)),
            l => l is not null && done(l), Patience, what))!;

    /// <summary>Inserts a lead row directly (as if stored long ago), shaped by <paramref name="shape"/>; returns its id.</summary>
    public static async Task<long> SeedAsync(CaptureScenario s, Action<Lead> shape)
    {
        var (pageId, workspaceId) = await PageAsync(s);
        await using var scope = s.Leadwire.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<LeadwireDbContext>();
        var gate = scope.ServiceProvider.GetRequiredService<WriteGate>();
        var now = TimeProvider.System.GetUtcNow().UtcDateTime;
        var lead = new Lead
        {
            MetaLeadId = "seed-" + Guid.NewGuid().ToString("N"),
            WorkspaceId = workspaceId,
            PageId = pageId,
            MetaPageId = s.Page.Id,
            AnswersJson = "{}",
            RawJson = "{}",
            Source = LeadSource.Webhook,
            CreatedTime = now,
            StoredAt = now,
        };
        shape(lead);
        using (await gate.EnterAsync(CancellationToken.None))
        {
            db.Leads.Add(lead);
            await db.SaveChangesAsync();
        }
        return lead.Id;
    }

    /// <summary>Runs a write against the host's database through its write gate, as the server's own writers do.</summary>
    public static async Task WriteAsync(CaptureScenario s, Func<LeadwireDbContext, Task> write)
    {
        await using var scope = s.Leadwire.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<LeadwireDbContext>();
        using (await scope.ServiceProvider.GetRequiredService<WriteGate>().EnterAsync(CancellationToken.None))
        {
            await write(db);
        }
    }

    /// <summary>A score stored as if computed: the reasons (engagement carrying every point) add up to it.</summary>
    public static void Scored(Lead lead, int score)
    {
        lead.Score = score;
        lead.ScoredAt = lead.StoredAt;
        lead.ScoreReasonsJson = ScoringJson.SerializeReasons(
        [
            new ScoreReason(ScoreFactors.ContactCompleteness, 0, 30, "seeded"),
            new ScoreReason(ScoreFactors.Engagement, score, 100, "seeded"),
        ]);
    }
}
