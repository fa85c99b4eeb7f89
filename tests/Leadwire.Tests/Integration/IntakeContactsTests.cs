using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Leadwire.Data;
using Leadwire.Features.Accounts;
using Leadwire.Infrastructure;
using Leadwire.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Leadwire.Tests.Integration;

/// <summary>C9: leads with the same normalised email or phone share a contact; the contact lists its leads.</summary>
public sealed class IntakeContactsTests
{
    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Leads_SameEmailAnyCaseOrSamePhone_OneContactListingAllOfThem(DatabaseProvider provider)
    {
        await using var s = await CaptureScenario.StartAsync(provider);
        var (_, workspaceId) = await Intake.PageAsync(s);
        // One at a time, so the lead ids (and so the contact's first email, phone and name) follow this order.
        var sent = new List<string>();
        foreach (var answers in new[]
        {
            new[] { ("full_name", "Ana Lima"), ("email", "Ana.Lima@Example.com"), ("phone_number", "+90 555 111 22 33") },
            new[] { ("full_name", "Ana"), ("email", "ana.lima@EXAMPLE.COM"), ("phone_number", "+90 555 999 00 00") },
            new[] { ("full_name", "A. Lima"), ("phone_number", "0090 (555) 999-0000") },
            new[] { ("full_name", "Bo Chen"), ("email", "bo@example.com") },
        })
        {
            var id = await Intake.SendLeadAsync(s, answers);
            await Intake.WaitForLeadAsync(s, id, _ => true, $"lead {id} to be stored");
            sent.Add(id);
        }
        var leads = new List<Lead>();
        foreach (var id in sent)
        {
            leads.Add(await Intake.WaitForLeadAsync(s, id, l => l.ContactId is not null, $"lead {id} to be linked"));
        }
        var other = leads[3];
        leads.RemoveAt(3);

        var contactId = leads[0].ContactId!.Value;
        Assert.All(leads, l => Assert.Equal(contactId, l.ContactId));
        Assert.NotEqual(contactId, other.ContactId);

        var contact = await s.Leadwire.Api.GetFromJsonAsync<JsonElement>($"/api/v1/contacts/{contactId}");
        Assert.Equal(contactId, contact.GetProperty("id").GetInt64());
        Assert.Equal("ana.lima@example.com", contact.GetProperty("email").GetString());
        Assert.Equal("905551112233", contact.GetProperty("phone").GetString());
        Assert.Equal("Ana Lima", contact.GetProperty("name").GetString());
        Assert.Equal(3, contact.GetProperty("lead_count").GetInt32());
        var listed = contact.GetProperty("leads").EnumerateArray().ToList();
        Assert.Equal(leads.Select(l => l.Id).Order(), listed.Select(l => l.GetProperty("id").GetInt64()).Order());
        Assert.All(listed, l =>
        {
            Assert.Equal("new", l.GetProperty("status").GetString());
            Assert.Equal(s.Form.Id, l.GetProperty("form_id").GetString());
            Assert.Equal("Test drive", l.GetProperty("form_name").GetString());
            Assert.NotEqual(default, l.GetProperty("created_time").GetDateTime());
        });

        // An agent sees a contact only through a lead of theirs; another workspace never sees it.
        var (agentId, agent) = await TestAccounts.CreateMemberAsync(s.Leadwire, workspaceId, WorkspaceRole.Agent, "agent@example.com");
        using (var hidden = await agent.GetAsync($"/api/v1/contacts/{contactId}"))
        {
            Assert.Equal(HttpStatusCode.NotFound, hidden.StatusCode);
        }
        await Intake.WriteAsync(s, db => db.Leads.Where(l => l.Id == leads[1].Id).ExecuteUpdateAsync(u => u.SetProperty(l => l.AssigneeUserId, agentId)));
        var agentView = await agent.GetFromJsonAsync<JsonElement>($"/api/v1/contacts/{contactId}");
        Assert.Equal([leads[1].Id], agentView.GetProperty("leads").EnumerateArray().Select(l => l.GetProperty("id").GetInt64()));

        var elsewhere = await TestAccounts.CreateWorkspaceAsync(s.Leadwire, "Other business");
        var (_, foreignOwner) = await TestAccounts.CreateMemberAsync(s.Leadwire, elsewhere, WorkspaceRole.Owner, "owner@other.example");
        using (var foreign = await foreignOwner.GetAsync($"/api/v1/contacts/{contactId}"))
        {
            Assert.Equal(HttpStatusCode.NotFound, foreign.StatusCode);
        }
        using (var anonymous = await s.Leadwire.Anonymous.GetAsync($"/api/v1/contacts/{contactId}"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        }
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Lead_EmailOfOneContactAndPhoneOfAnother_MergesThemIntoTheEmailsContact(DatabaseProvider provider)
    {
        await using var s = await CaptureScenario.StartAsync(provider);
        var byEmail = await Intake.SendLeadAsync(s, ("full_name", "Kim"), ("email", "kim@example.com"));
        var emailLead = await Intake.WaitForLeadAsync(s, byEmail, l => l.ContactId is not null, "the email lead to be linked");
        var byPhone = await Intake.SendLeadAsync(s, ("full_name", "Kim P"), ("phone_number", "+44 20 7946 0000"));
        var phoneLead = await Intake.WaitForLeadAsync(s, byPhone, l => l.ContactId is not null, "the phone lead to be linked");
        Assert.NotEqual(emailLead.ContactId, phoneLead.ContactId);

        var both = await Intake.SendLeadAsync(s, ("full_name", "Kim Park"), ("email", "KIM@example.com"), ("phone_number", "0044 20 7946 0000"));
        var bridge = await Intake.WaitForLeadAsync(s, both, l => l.ContactId is not null, "the lead with both to be linked");

        Assert.Equal(emailLead.ContactId, bridge.ContactId);
        Assert.Equal(emailLead.ContactId, (await Intake.WaitForLeadAsync(s, byPhone, _ => true, "the phone lead")).ContactId);
        Assert.False(await s.Leadwire.QueryAsync(db => db.Contacts.AnyAsync(c => c.Id == phoneLead.ContactId)));
        var contact = await s.Leadwire.QueryAsync(db => db.Contacts.SingleAsync(c => c.Id == emailLead.ContactId));
        Assert.Equal("kim@example.com", contact.EmailNormalized);
        Assert.Equal("442079460000", contact.PhoneNormalized);

        var listed = await s.Leadwire.Api.GetFromJsonAsync<JsonElement>($"/api/v1/contacts/{contact.Id}");
        Assert.Equal(3, listed.GetProperty("leads").GetArrayLength());
    }
}
