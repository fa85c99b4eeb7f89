using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Leadwire.Data;
using Leadwire.Infrastructure;
using Leadwire.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Leadwire.Tests.Integration;

/// <summary>K1: owners add people, change their roles and remove them; a workspace always keeps an owner.</summary>
public sealed class AccountsMembersTests
{
    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Members_AddChangeRemove_KeepsTheLastOwner(DatabaseProvider provider)
    {
        await using var w = await AccountsTestWorld.StartAsync(provider);
        var ownerId = (await w.Owner.GetFromJsonAsync<JsonElement>("/api/v1/me")).GetProperty("user").GetProperty("id").GetInt64();

        using var added = await w.Owner.PostAsJsonAsync("/api/v1/workspace/members",
            new { email = "erin@example.com", role = "admin", password = AccountsTestWorld.Password, display_name = "Erin" });
        Assert.Equal(HttpStatusCode.Created, added.StatusCode);
        var erin = await added.Content.ReadFromJsonAsync<JsonElement>();
        var erinId = erin.GetProperty("user_id").GetInt64();
        Assert.Equal("admin", erin.GetProperty("role").GetString());
        Assert.Equal("Erin", erin.GetProperty("display_name").GetString());

        using var again = await w.Owner.PostAsJsonAsync("/api/v1/workspace/members", new { email = "ERIN@example.com", role = "agent" });
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);

        using var weak = await w.Owner.PostAsJsonAsync("/api/v1/workspace/members", new { email = "frank@example.com", role = "agent", password = "short" });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, weak.StatusCode);
        Assert.True((await AccountsTestWorld.ProblemAsync(weak)).GetProperty("errors").TryGetProperty("password", out _));
        using var noPassword = await w.Owner.PostAsJsonAsync("/api/v1/workspace/members", new { email = "frank@example.com", role = "agent" });
        Assert.Equal(HttpStatusCode.BadRequest, noPassword.StatusCode);
        using var badRole = await w.Owner.PostAsJsonAsync("/api/v1/workspace/members", new { email = "frank@example.com", role = "3", password = AccountsTestWorld.Password });
        Assert.Equal(HttpStatusCode.BadRequest, badRole.StatusCode);
        Assert.False(await w.Host.QueryAsync(db => db.Users.AnyAsync(u => u.Email == "frank@example.com")));

        using var demoted = await w.Owner.PatchAsJsonAsync($"/api/v1/workspace/members/{erinId}", new { role = "agent" });
        Assert.Equal(HttpStatusCode.OK, demoted.StatusCode);
        Assert.Equal("agent", (await demoted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("role").GetString());

        // The bootstrap owner is the only owner: neither demoted nor removed.
        using var lastDemote = await w.Owner.PatchAsJsonAsync($"/api/v1/workspace/members/{ownerId}", new { role = "admin" });
        Assert.Equal(HttpStatusCode.Conflict, lastDemote.StatusCode);
        Assert.Contains("owner", (await AccountsTestWorld.ProblemAsync(lastDemote)).GetProperty("detail").GetString(), StringComparison.Ordinal);
        using var lastRemove = await w.Owner.DeleteAsync($"/api/v1/workspace/members/{ownerId}");
        Assert.Equal(HttpStatusCode.Conflict, lastRemove.StatusCode);

        // With a second owner, the first may step down.
        using var promoted = await w.Owner.PatchAsJsonAsync($"/api/v1/workspace/members/{erinId}", new { role = "owner" });
        Assert.Equal(HttpStatusCode.OK, promoted.StatusCode);
        var erinSession = await w.SignInAsync("erin@example.com");
        using var stepDown = await erinSession.PatchAsJsonAsync($"/api/v1/workspace/members/{ownerId}", new { role = "admin" });
        Assert.Equal(HttpStatusCode.OK, stepDown.StatusCode);
        using var removeOwner = await erinSession.DeleteAsync($"/api/v1/workspace/members/{erinId}");
        Assert.Equal(HttpStatusCode.Conflict, removeOwner.StatusCode);

        using var removed = await erinSession.DeleteAsync($"/api/v1/workspace/members/{ownerId}");
        Assert.Equal(HttpStatusCode.NoContent, removed.StatusCode);
        using var missing = await erinSession.DeleteAsync($"/api/v1/workspace/members/{ownerId}");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        var members = (await erinSession.GetFromJsonAsync<JsonElement>("/api/v1/workspace/members")).GetProperty("items").EnumerateArray().ToList();
        Assert.Equal([erinId], members.Select(m => m.GetProperty("user_id").GetInt64()));

        var changes = await AccountsTestWorld.AuditAsync(erinSession, "&action=member.role_changed");
        Assert.Equal(
            [("owner", "admin"), ("agent", "owner"), ("admin", "agent")],
            changes.Select(c => (c.GetProperty("details").GetProperty("from").GetString()!, c.GetProperty("details").GetProperty("to").GetString()!)));
        var actions = (await AccountsTestWorld.AuditAsync(erinSession)).Select(a => a.GetProperty("action").GetString()).ToList();
        Assert.Contains("member.added", actions);
        Assert.Contains("member.removed", actions);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Members_OnlyOwnersManage_AdminsMayRead(DatabaseProvider provider)
    {
        await using var w = await AccountsTestWorld.StartAsync(provider);
        var workspaceId = await w.WorkspaceIdAsync(w.Owner);
        var agent = await TestAccounts.CreateMemberAsync(w.Host, workspaceId, WorkspaceRole.Agent, "agent@example.com");
        var admin = await TestAccounts.CreateMemberAsync(w.Host, workspaceId, WorkspaceRole.Admin, "admin@example.com");
        var request = new { email = "new@example.com", role = "agent", password = AccountsTestWorld.Password };

        using var byAgent = await agent.Client.PostAsJsonAsync("/api/v1/workspace/members", request);
        using var byAdmin = await admin.Client.PostAsJsonAsync("/api/v1/workspace/members", request);
        using var anonymous = await w.Host.Anonymous.PostAsJsonAsync("/api/v1/workspace/members", request);
        using var adminChangesRole = await admin.Client.PatchAsJsonAsync($"/api/v1/workspace/members/{agent.UserId}", new { role = "admin" });
        using var adminRemoves = await admin.Client.DeleteAsync($"/api/v1/workspace/members/{agent.UserId}");
        using var agentReads = await agent.Client.GetAsync("/api/v1/workspace/members");

        Assert.Equal(HttpStatusCode.Forbidden, byAgent.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, byAdmin.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, adminChangesRole.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, adminRemoves.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, agentReads.StatusCode);
        Assert.False(await w.Host.QueryAsync(db => db.Users.AnyAsync(u => u.Email == "new@example.com")));

        var listed = await admin.Client.GetFromJsonAsync<JsonElement>("/api/v1/workspace/members?limit=2");
        Assert.Equal(2, listed.GetProperty("items").GetArrayLength());
        var rest = await admin.Client.GetFromJsonAsync<JsonElement>($"/api/v1/workspace/members?limit=2&cursor={listed.GetProperty("next_cursor").GetString()}");
        Assert.Equal(admin.UserId, Assert.Single(rest.GetProperty("items").EnumerateArray()).GetProperty("user_id").GetInt64());
        Assert.Equal(JsonValueKind.Null, rest.GetProperty("next_cursor").ValueKind);

        using var byOwner = await w.Owner.PostAsJsonAsync("/api/v1/workspace/members", request);
        Assert.Equal(HttpStatusCode.Created, byOwner.StatusCode);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Members_ExistingAccountAddedElsewhere_KeepsItsPasswordAndSeesBothWorkspaces(DatabaseProvider provider)
    {
        await using var w = await AccountsTestWorld.StartAsync(provider);
        await w.AddMemberAsync("gina@example.com", "agent");
        var other = await TestAccounts.CreateWorkspaceAsync(w.Host, "Other business");
        var otherOwner = await TestAccounts.CreateMemberAsync(w.Host, other, WorkspaceRole.Owner, "other-owner@example.com");

        // The other owner cannot take the account over: the password they send is not used.
        using var added = await otherOwner.Client.PostAsJsonAsync("/api/v1/workspace/members", new { email = "gina@example.com", role = "admin", password = "takeover attempt" });
        Assert.Equal(HttpStatusCode.Created, added.StatusCode);
        using var takeover = await AccountsTestWorld.LoginAsync(w.Host.Anonymous, "gina@example.com", "takeover attempt");
        Assert.Equal(HttpStatusCode.Unauthorized, takeover.StatusCode);

        var gina = await w.SignInAsync("gina@example.com");
        var me = await gina.GetFromJsonAsync<JsonElement>("/api/v1/me");
        Assert.Equal(["agent", "admin"], me.GetProperty("memberships").EnumerateArray().Select(m => m.GetProperty("role").GetString()!));

        // Each workspace's owner sees the sign-in in their own audit log.
        Assert.Contains(await AccountsTestWorld.AuditAsync(otherOwner.Client, "&action=user.signed_in"), a => a.GetProperty("actor").GetString() == "gina@example.com");
        Assert.Contains(await AccountsTestWorld.AuditAsync(w.Owner, "&action=user.signed_in"), a => a.GetProperty("actor").GetString() == "gina@example.com");
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task RemoveMember_TheirTokensStopWorkingAndAreRevoked(DatabaseProvider provider)
    {
        await using var w = await AccountsTestWorld.StartAsync(provider);
        var workspaceId = await w.WorkspaceIdAsync(w.Owner);
        var agent = await TestAccounts.CreateMemberAsync(w.Host, workspaceId, WorkspaceRole.Agent, "leaving@example.com");
        using (var before = await agent.Client.GetAsync("/api/v1/workspace"))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }

        using var removed = await w.Owner.DeleteAsync($"/api/v1/workspace/members/{agent.UserId}");
        Assert.Equal(HttpStatusCode.NoContent, removed.StatusCode);

        using var after = await agent.Client.GetAsync("/api/v1/workspace");
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
        Assert.True(await w.Host.QueryAsync(db => db.ApiTokens.Where(t => t.UserId == agent.UserId).AllAsync(t => t.RevokedAt != null)));
        var audit = Assert.Single(await AccountsTestWorld.AuditAsync(w.Owner, "&action=member.removed"));
        Assert.Equal(1, audit.GetProperty("details").GetProperty("tokens_revoked").GetInt32());

        // Added again, the person starts without working tokens: the old ones stay revoked.
        using var readded = await w.Owner.PostAsJsonAsync("/api/v1/workspace/members", new { email = "leaving@example.com", role = "agent" });
        Assert.Equal(HttpStatusCode.Created, readded.StatusCode);
        using var stillOut = await agent.Client.GetAsync("/api/v1/workspace");
        Assert.Equal(HttpStatusCode.Unauthorized, stillOut.StatusCode);
    }
}
