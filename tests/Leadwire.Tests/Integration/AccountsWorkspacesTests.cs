using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Leadwire.Data;
using Leadwire.Infrastructure;
using Leadwire.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Leadwire.Tests.Integration;

/// <summary>K1: creating workspaces, choosing the current one, and its settings.</summary>
public sealed class AccountsWorkspacesTests
{
    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task CreateWorkspace_SignedInUser_BecomesOwnerAndCanSwitchToIt(DatabaseProvider provider)
    {
        await using var w = await AccountsTestWorld.StartAsync(provider);
        var first = await w.WorkspaceIdAsync(w.Owner);
        await w.AddMemberAsync("dana@example.com", "agent");
        var dana = await w.SignInAsync("dana@example.com");

        using var created = await dana.PostAsJsonAsync("/api/v1/workspaces", new { name = "  Dana's Dealership ", time_zone = "Europe/Istanbul" });

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var workspace = await created.Content.ReadFromJsonAsync<JsonElement>();
        var id = workspace.GetProperty("id").GetInt64();
        Assert.Equal($"/api/v1/workspaces/{id}", created.Headers.Location?.ToString());
        Assert.Equal("Dana's Dealership", workspace.GetProperty("name").GetString());
        Assert.Equal("Europe/Istanbul", workspace.GetProperty("time_zone").GetString());
        Assert.Equal("owner", workspace.GetProperty("role").GetString());

        var mine = (await dana.GetFromJsonAsync<JsonElement>("/api/v1/workspaces")).GetProperty("items").EnumerateArray().ToList();
        Assert.Equal([(first, "agent"), (id, "owner")], mine.Select(m => (m.GetProperty("id").GetInt64(), m.GetProperty("role").GetString()!)));

        // Without a header the first workspace is current; the header chooses the other one.
        Assert.Equal(first, await w.WorkspaceIdAsync(dana));
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/workspace");
        request.Headers.Add("Leadwire-Workspace", id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        using var current = await dana.SendAsync(request);
        Assert.Equal("owner", (await current.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("role").GetString());

        // The bootstrap owner of the first workspace is not a member of Dana's.
        using var foreign = await w.Owner.GetAsync($"/api/v1/workspaces/{id}");
        Assert.Equal(HttpStatusCode.NotFound, foreign.StatusCode);
        using var foreignHeader = new HttpRequestMessage(HttpMethod.Get, "/api/v1/workspace");
        foreignHeader.Headers.Add("Leadwire-Workspace", id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        using var refused = await w.Owner.SendAsync(foreignHeader);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);

        var audit = await w.Host.QueryAsync(db => db.AuditLog.SingleAsync(a => a.Action == "workspace.created"));
        Assert.Equal(id, audit.WorkspaceId);
        Assert.Equal("dana@example.com", audit.Actor);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    public async Task CreateWorkspace_ThroughApiTokenOrAnonymous_Refused(DatabaseProvider provider)
    {
        await using var w = await AccountsTestWorld.StartAsync(provider);
        var member = await TestAccounts.CreateMemberAsync(w.Host, await w.WorkspaceIdAsync(w.Owner), WorkspaceRole.Owner, "tokenowner@example.com");

        using var viaToken = await member.Client.PostAsJsonAsync("/api/v1/workspaces", new { name = "Side business" });
        using var anonymous = await w.Host.Anonymous.PostAsJsonAsync("/api/v1/workspaces", new { name = "Side business" });

        Assert.Equal(HttpStatusCode.Forbidden, viaToken.StatusCode);
        Assert.Contains("API token", (await AccountsTestWorld.ProblemAsync(viaToken)).GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(1, await w.Host.QueryAsync(db => db.Workspaces.CountAsync()));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task UpdateWorkspace_Owner_ChangesSettingsAndValidatesThem(DatabaseProvider provider)
    {
        await using var w = await AccountsTestWorld.StartAsync(provider);
        var workspaceId = await w.WorkspaceIdAsync(w.Owner);
        var admin = await TestAccounts.CreateMemberAsync(w.Host, workspaceId, WorkspaceRole.Admin, "admin@example.com");

        using var invalid = await w.Owner.PatchAsJsonAsync("/api/v1/workspace",
            new { name = "", time_zone = "Mars/Olympus_Mons", first_contact_sla_minutes = 0, retention_days = 4000 });
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        var errors = (await AccountsTestWorld.ProblemAsync(invalid)).GetProperty("errors");
        Assert.Equal(["first_contact_sla_minutes", "name", "retention_days", "time_zone"], errors.EnumerateObject().Select(e => e.Name).Order());

        using var updated = await w.Owner.PatchAsJsonAsync("/api/v1/workspace",
            new { name = "Renamed", time_zone = "America/New_York", first_contact_sla_minutes = 30, retention_days = 90 });
        Assert.Equal(HttpStatusCode.OK, updated.StatusCode);
        var body = await updated.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Renamed", body.GetProperty("name").GetString());
        Assert.Equal(30, body.GetProperty("first_contact_sla_minutes").GetInt32());
        Assert.Equal(90, body.GetProperty("retention_days").GetInt32());

        // Absent fields stay; an explicit null retention keeps leads forever.
        using var cleared = await w.Owner.PatchAsync("/api/v1/workspace", JsonContent.Create(JsonDocument.Parse("""{"retention_days": null}""").RootElement));
        var stored = await w.Host.QueryAsync(db => db.Workspaces.SingleAsync(x => x.Id == workspaceId));
        Assert.Null(stored.RetentionDays);
        Assert.Equal("Renamed", stored.Name);
        Assert.Equal("America/New_York", stored.TimeZone);

        using var byAdmin = await admin.Client.PatchAsJsonAsync("/api/v1/workspace", new { name = "Admin's name" });
        Assert.Equal(HttpStatusCode.Forbidden, byAdmin.StatusCode);
        using var readByAdmin = await admin.Client.GetAsync("/api/v1/workspace");
        Assert.Equal(HttpStatusCode.OK, readByAdmin.StatusCode);

        var updates = await AccountsTestWorld.AuditAsync(w.Owner, "&action=workspace.updated");
        Assert.Equal(2, updates.Count);
        Assert.Equal(90, updates[0].GetProperty("details").GetProperty("retention_days").GetProperty("from").GetInt32());
    }
}
