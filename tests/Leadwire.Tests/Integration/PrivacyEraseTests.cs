using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Leadwire.Data;
using Leadwire.Infrastructure;
using Leadwire.MetaEmulator;
using Leadwire.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Leadwire.Tests.Integration;

/// <summary>C6: erasing a lead removes its personal data from every table and keeps the anonymous row.</summary>
public sealed class PrivacyEraseTests
{
    private static readonly string[] ZeldaTraces = ["Zelda", "Quixotic", "zelda.quixotic", "5558675309", "867-5309", "Xanadu"];

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Erase_CapturedLead_PersonalDataGoneFromEveryTable(DatabaseProvider provider)
    {
        await using var s = await CaptureScenario.StartAsync(provider);
        var zelda = await s.Meta.CreateLeadAsync(new CreateLeadRequest
        {
            FormId = s.Form.Id,
            FieldData =
            [
                new FieldDataItem { Name = "full_name", Values = ["Zelda Quixotic"] },
                new FieldDataItem { Name = "email", Values = ["Zelda.Quixotic@example.org"] },
                new FieldDataItem { Name = "phone_number", Values = ["+1 (555) 867-5309"] },
                new FieldDataItem { Name = "city", Values = ["Xanadu Springs"] },
                new FieldDataItem { Name = "preferred_model", Values = ["The Quixotic roadster"] },
            ],
            CustomDisclaimerResponses = [new DisclaimerResponse { CheckboxKey = "marketing_optin", IsChecked = "1" }],
            Deliver = true,
        });
        var walter = await s.Meta.CreateLeadAsync(new CreateLeadRequest
        {
            FormId = s.Form.Id,
            FieldData =
            [
                new FieldDataItem { Name = "full_name", Values = ["Walter Keepme"] },
                new FieldDataItem { Name = "email", Values = ["walter.keepme@example.org"] },
            ],
            Deliver = true,
        });
        var zeldaId = (await s.WaitForLeadAsync(zelda.Id)).GetProperty("id").GetInt64();
        var walterId = (await s.WaitForLeadAsync(walter.Id)).GetProperty("id").GetInt64();
        await EnsureContactAsync(s.Leadwire, zeldaId);
        var before = await s.Leadwire.QueryAsync(db => db.Leads.AsNoTracking().SingleAsync(l => l.Id == zeldaId));
        await AddTimelineAsync(s.Leadwire, before, "Called Zelda Quixotic about the roadster", "quixotic-vip");
        await AddTimelineAsync(s.Leadwire, await s.Leadwire.QueryAsync(db => db.Leads.AsNoTracking().SingleAsync(l => l.Id == walterId)), "Walter Keepme wants a call", "keep");
        Assert.NotEmpty(await FindAsync(s.Leadwire, ZeldaTraces));

        // Agents may not erase; another workspace's admin does not even find the lead.
        var agent = await TestAccounts.CreateMemberAsync(s.Leadwire, before.WorkspaceId, WorkspaceRole.Agent, "agent@example.com");
        using var byAgent = await agent.Client.PostAsync($"/api/v1/leads/{zeldaId}/erase", null);
        Assert.Equal(HttpStatusCode.Forbidden, byAgent.StatusCode);
        var other = await TestAccounts.CreateWorkspaceAsync(s.Leadwire, "Other");
        var otherAdmin = await TestAccounts.CreateMemberAsync(s.Leadwire, other, WorkspaceRole.Admin, "other-admin@example.com");
        using var foreign = await otherAdmin.Client.PostAsync($"/api/v1/leads/{zeldaId}/erase", null);
        Assert.Equal(HttpStatusCode.NotFound, foreign.StatusCode);
        Assert.Null(await s.Leadwire.QueryAsync(db => db.Leads.Where(l => l.Id == zeldaId).Select(l => l.ErasedAt).SingleAsync()));

        using var erased = await s.Leadwire.Api.PostAsync($"/api/v1/leads/{zeldaId}/erase", null);

        Assert.Equal(HttpStatusCode.OK, erased.StatusCode);
        var answer = await erased.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(zeldaId, answer.GetProperty("lead_id").GetInt64());
        var hits = await FindAsync(s.Leadwire, ZeldaTraces);
        Assert.True(hits.Count == 0, string.Join(Environment.NewLine, hits));
        // Only Zelda: the other lead and its notes are untouched.
        Assert.NotEmpty(await FindAsync(s.Leadwire, "Walter Keepme wants a call"));
        Assert.NotEmpty(await FindAsync(s.Leadwire, "walter.keepme@example.org"));

        var after = await s.Leadwire.QueryAsync(db => db.Leads.AsNoTracking().SingleAsync(l => l.Id == zeldaId));
        Assert.NotNull(after.ErasedAt);
        Assert.Equal(before.MetaLeadId, after.MetaLeadId);
        Assert.Equal(before.Status, after.Status);
        Assert.Equal(before.CreatedTime, after.CreatedTime);
        Assert.Equal(before.PageId, after.PageId);
        Assert.Equal(before.FormId, after.FormId);
        Assert.Equal(before.CampaignId, after.CampaignId);
        Assert.Equal(before.AdId, after.AdId);
        Assert.Null(after.Email);
        Assert.Null(after.ContactId);
        Assert.Equal("{}", after.AnswersJson);
        Assert.Equal("{}", after.RawJson);

        var events = await s.Leadwire.QueryAsync(db => db.LeadEvents.AsNoTracking().Where(e => e.LeadId == zeldaId).OrderBy(e => e.Id).ToListAsync());
        Assert.Contains(events, e => e.Type == LeadEventTypes.Note && e.DataJson == """{"redacted":true}""" && e.Actor == "agent@example.com");
        Assert.Equal(LeadEventTypes.Erased, events[^1].Type);
        Assert.False(await s.Leadwire.QueryAsync(db => db.LeadTags.AnyAsync(t => t.LeadId == zeldaId)));
        Assert.False(await s.Leadwire.QueryAsync(db => db.Contacts.AnyAsync(c => c.Id == before.ContactId)));

        // Anonymous counts still add up: the row is still listed and counted.
        using var detail = await s.Leadwire.Api.GetAsync($"/api/v1/leads/{zeldaId}");
        Assert.Equal(HttpStatusCode.OK, detail.StatusCode);
        Assert.Equal(2, await s.Leadwire.QueryAsync(db => db.Leads.CountAsync()));

        // Asking again is harmless: same answer, no second audit line.
        using var again = await s.Leadwire.Api.PostAsync($"/api/v1/leads/{zeldaId}/erase", null);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(answer.GetProperty("erased_at").GetDateTime(), (await again.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("erased_at").GetDateTime());
        Assert.Equal(1, await s.Leadwire.QueryAsync(db => db.AuditLog.CountAsync(a => a.Action == "lead.erased")));

        // A late duplicate of the webhook does not bring the lead back from Meta: its meta_lead_id is still known.
        using var replay = await s.PostWebhookAsync(CaptureScenario.LeadgenBody([(s.Page.Id, s.Form.Id, zelda.Id)]));
        Assert.Equal(HttpStatusCode.OK, replay.StatusCode);
        await Eventually.ReturnsAsync(
            () => s.Leadwire.QueryAsync(db => db.WebhookDeliveries.OrderByDescending(d => d.Id).Select(d => d.Status).FirstAsync()),
            status => status == WebhookDeliveryStatus.Processed, TimeSpan.FromSeconds(20), "the replayed delivery to be processed");
        Assert.Empty(await FindAsync(s.Leadwire, ZeldaTraces));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Erase_LeadSharingAContact_ContactKeepsOnlyTheOtherLeadsData(DatabaseProvider provider)
    {
        await using var w = await AccountsTestWorld.StartAsync(provider);
        var page = await w.SeedPageAsync(await w.WorkspaceIdAsync(w.Owner));
        var now = TimeProvider.System.GetUtcNow().UtcDateTime;
        var (alphaId, contactId) = await w.WithDbAsync(async db =>
        {
            var contact = new Contact
            {
                WorkspaceId = page.WorkspaceId, EmailNormalized = "yorick.alpha@example.org", PhoneNormalized = "442079460001", Name = "Yorick Alpha",
                CreatedAt = now, UpdatedAt = now,
            };
            db.Contacts.Add(contact);
            await db.SaveChangesAsync();
            var alpha = AccountsTestWorld.NewLead(page, "Yorick Alpha", "yorick.alpha@example.org", "+44 20 7946 0001", now.AddHours(-2));
            var beta = AccountsTestWorld.NewLead(page, "Yorick Beta", "yorick.beta@example.org", "+44 20 7946 0001", now.AddHours(-1));
            alpha.ContactId = contact.Id;
            beta.ContactId = contact.Id;
            db.Leads.AddRange(alpha, beta);
            await db.SaveChangesAsync();
            return (alpha.Id, contact.Id);
        });

        using var erased = await w.Owner.PostAsync($"/api/v1/leads/{alphaId}/erase", null);

        Assert.Equal(HttpStatusCode.OK, erased.StatusCode);
        var hits = await w.FindEverywhereAsync("Yorick Alpha", "yorick.alpha");
        Assert.True(hits.Count == 0, string.Join(Environment.NewLine, hits));
        var contact = await w.Host.QueryAsync(db => db.Contacts.AsNoTracking().SingleAsync(c => c.Id == contactId));
        Assert.Equal("yorick.beta@example.org", contact.EmailNormalized);
        Assert.Equal("442079460001", contact.PhoneNormalized);
        Assert.Equal("Yorick Beta", contact.Name);
    }

    /// <summary>
    /// Waits for contact linking to give the lead its contact; where no linking runs, links it the way it would
    /// (only if still unlinked, so a late linker and this never both do it).
    /// </summary>
    private static async Task EnsureContactAsync(LeadwireHost host, long leadId)
    {
        try
        {
            await Eventually.ReturnsAsync(() => host.QueryAsync(db => db.Leads.Where(l => l.Id == leadId).Select(l => l.ContactId).SingleAsync()),
                c => c is not null, TimeSpan.FromSeconds(5), "contact linking");
            return;
        }
        catch (TimeoutException)
        {
            // No linker in this build: link by hand.
        }
        await using var scope = host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<LeadwireDbContext>();
        var gate = scope.ServiceProvider.GetRequiredService<WriteGate>();
        await db.InWriteTransactionAsync(gate, async () =>
        {
            var lead = await db.Leads.AsNoTracking().SingleAsync(l => l.Id == leadId);
            var now = TimeProvider.System.GetUtcNow().UtcDateTime;
            var contact = new Contact
            {
                WorkspaceId = lead.WorkspaceId, EmailNormalized = lead.Email!.ToLowerInvariant(), PhoneNormalized = "15558675309", Name = lead.FullName,
                CreatedAt = now, UpdatedAt = now,
            };
            db.Contacts.Add(contact);
            await db.SaveChangesAsync();
            if (await db.Leads.Where(l => l.Id == leadId && l.ContactId == null).ExecuteUpdateAsync(u => u.SetProperty(l => l.ContactId, contact.Id)) == 0)
            {
                db.Contacts.Remove(contact);
            }
        }, CancellationToken.None);
    }

    /// <summary>A note, an interaction and a tag, as the CRM endpoints record them.</summary>
    private static async Task AddTimelineAsync(LeadwireHost host, Lead lead, string noteText, string tag)
    {
        await using var scope = host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<LeadwireDbContext>();
        var gate = scope.ServiceProvider.GetRequiredService<WriteGate>();
        var now = TimeProvider.System.GetUtcNow().UtcDateTime;
        await db.InWriteTransactionAsync(gate, () =>
        {
            db.LeadEvents.Add(new LeadEvent
            {
                LeadId = lead.Id, WorkspaceId = lead.WorkspaceId, Type = LeadEventTypes.Note, Actor = "agent@example.com", At = now,
                DataJson = JsonSerializer.Serialize(new { text = noteText }),
            });
            db.LeadEvents.Add(new LeadEvent
            {
                LeadId = lead.Id, WorkspaceId = lead.WorkspaceId, Type = LeadEventTypes.Interaction, Actor = "agent@example.com", At = now,
                DataJson = JsonSerializer.Serialize(new { kind = "call", outcome = $"Reached {lead.FullName} at {lead.Phone}" }),
            });
            db.LeadTags.Add(new LeadTag { LeadId = lead.Id, WorkspaceId = lead.WorkspaceId, Tag = tag });
            return Task.CompletedTask;
        }, CancellationToken.None);
    }

    private static Task<List<string>> FindAsync(LeadwireHost host, params string[] needles) => PersonalDataScan.FindAsync(host, needles);
}
