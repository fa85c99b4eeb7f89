using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Leadwire.Data;
using Leadwire.Infrastructure;
using Leadwire.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Leadwire.Tests.Integration;

/// <summary>K1: personal API tokens, shown once, stored hashed, revocable; and the owners' audit log.</summary>
public sealed class AccountsTokensTests
{
    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Token_Created_ShownOnceWorksAndRevokedStops(DatabaseProvider provider)
    {
        await using var w = await AccountsTestWorld.StartAsync(provider);
        await w.AddMemberAsync("hana@example.com", "agent");
        var hana = await w.SignInAsync("hana@example.com");

        using var created = await hana.PostAsJsonAsync("/api/v1/tokens", new { name = "zapier", expires_in_days = 30 });

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var body = await created.Content.ReadFromJsonAsync<JsonElement>();
        var plain = body.GetProperty("token").GetString()!;
        var id = body.GetProperty("id").GetInt64();
        Assert.StartsWith("lw_", plain, StringComparison.Ordinal);
        Assert.StartsWith(body.GetProperty("prefix").GetString()!, plain, StringComparison.Ordinal);
        Assert.Equal("zapier", body.GetProperty("name").GetString());
        Assert.InRange(body.GetProperty("expires_at").GetDateTime() - body.GetProperty("created_at").GetDateTime(), TimeSpan.FromDays(29.9), TimeSpan.FromDays(30.1));

        var stored = await w.Host.QueryAsync(db => db.ApiTokens.SingleAsync(t => t.Id == id));
        Assert.NotEqual(plain, stored.TokenHash);
        Assert.DoesNotContain(plain, stored.TokenHash, StringComparison.Ordinal);

        var token = w.WithToken(plain);
        var me = await token.GetFromJsonAsync<JsonElement>("/api/v1/me");
        Assert.Equal("api_token", me.GetProperty("authenticated_by").GetString());
        Assert.Equal("hana@example.com", me.GetProperty("user").GetProperty("email").GetString());

        var listed = await hana.GetStringAsync("/api/v1/tokens");
        Assert.DoesNotContain(plain, listed, StringComparison.Ordinal);
        Assert.DoesNotContain(stored.TokenHash, listed, StringComparison.Ordinal);
        var item = Assert.Single(JsonDocument.Parse(listed).RootElement.GetProperty("items").EnumerateArray());
        Assert.False(item.TryGetProperty("token", out _));
        Assert.Equal("active", item.GetProperty("status").GetString());

        using var revoked = await hana.DeleteAsync($"/api/v1/tokens/{id}");
        Assert.Equal(HttpStatusCode.NoContent, revoked.StatusCode);
        using var refused = await token.GetAsync("/api/v1/me");
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal("revoked", (await hana.GetFromJsonAsync<JsonElement>($"/api/v1/tokens/{id}")).GetProperty("status").GetString());

        var actions = (await AccountsTestWorld.AuditAsync(w.Owner)).Select(a => a.GetProperty("action").GetString()).ToList();
        Assert.Contains("token.created", actions);
        Assert.Contains("token.revoked", actions);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Tokens_OwnersSeeAndRevokeEveryones_OthersOnlyTheirOwn(DatabaseProvider provider)
    {
        await using var w = await AccountsTestWorld.StartAsync(provider);
        var workspaceId = await w.WorkspaceIdAsync(w.Owner);
        var agent = await TestAccounts.CreateMemberAsync(w.Host, workspaceId, WorkspaceRole.Agent, "agent@example.com");
        var (ownerTokenId, _) = await w.CreateTokenAsync(w.Owner, "owner's script");
        var (agentTokenId, agentSecond) = await w.CreateTokenAsync(agent.Client, "agent's second");

        var agentList = await agent.Client.GetFromJsonAsync<JsonElement>("/api/v1/tokens");
        Assert.DoesNotContain(agentList.GetProperty("items").EnumerateArray(), t => t.GetProperty("id").GetInt64() == ownerTokenId);
        using var agentAll = await agent.Client.GetAsync("/api/v1/tokens?all=true");
        Assert.Equal(HttpStatusCode.Forbidden, agentAll.StatusCode);
        using var agentRevokesOwners = await agent.Client.DeleteAsync($"/api/v1/tokens/{ownerTokenId}");
        Assert.Equal(HttpStatusCode.NotFound, agentRevokesOwners.StatusCode);

        var all = await w.Owner.GetFromJsonAsync<JsonElement>("/api/v1/tokens?all=true");
        Assert.Equal(3, all.GetProperty("items").GetArrayLength());
        Assert.Contains(all.GetProperty("items").EnumerateArray(), t => t.GetProperty("user_email").GetString() == "agent@example.com");
        using var ownerRevokes = await w.Owner.DeleteAsync($"/api/v1/tokens/{agentTokenId}");
        Assert.Equal(HttpStatusCode.NoContent, ownerRevokes.StatusCode);
        using var gone = await agentSecond.GetAsync("/api/v1/workspace");
        Assert.Equal(HttpStatusCode.Unauthorized, gone.StatusCode);

        using var invalid = await agent.Client.PostAsJsonAsync("/api/v1/tokens", new { name = " ", expires_in_days = 0 });
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        var errors = (await AccountsTestWorld.ProblemAsync(invalid)).GetProperty("errors");
        Assert.True(errors.TryGetProperty("name", out _));
        Assert.True(errors.TryGetProperty("expires_in_days", out _));

        // A token of another workspace is not found, even for that workspace's owner.
        var other = await TestAccounts.CreateWorkspaceAsync(w.Host, "Other");
        var otherOwner = await TestAccounts.CreateMemberAsync(w.Host, other, WorkspaceRole.Owner, "other@example.com");
        using var foreign = await otherOwner.Client.DeleteAsync($"/api/v1/tokens/{ownerTokenId}");
        Assert.Equal(HttpStatusCode.NotFound, foreign.StatusCode);
        Assert.Null(await w.Host.QueryAsync(db => db.ApiTokens.Where(t => t.Id == ownerTokenId).Select(t => t.RevokedAt).SingleAsync()));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task AuditLog_RecordsSignInRoleChangeTokenAndErase_ReadableByOwnersOnly(DatabaseProvider provider)
    {
        await using var w = await AccountsTestWorld.StartAsync(provider);
        var workspaceId = await w.WorkspaceIdAsync(w.Owner);
        var ivanId = await w.AddMemberAsync("ivan@example.com", "agent");
        var ivan = await w.SignInAsync("ivan@example.com");
        await w.CreateTokenAsync(ivan, "ivan's token");
        using (var changed = await w.Owner.PatchAsJsonAsync($"/api/v1/workspace/members/{ivanId}", new { role = "admin" }))
        {
            Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        }
        var page = await w.SeedPageAsync(workspaceId);
        var lead = await w.WithDbAsync(async db =>
        {
            var l = AccountsTestWorld.NewLead(page, "Audit Person", "audit.person@example.com", "+1 555 0100 222", TimeProvider.System.GetUtcNow().UtcDateTime);
            db.Leads.Add(l);
            await db.SaveChangesAsync();
            return l;
        });
        using (var erased = await ivan.PostAsync($"/api/v1/leads/{lead.Id}/erase", null))
        {
            Assert.Equal(HttpStatusCode.OK, erased.StatusCode);
        }

        var entries = await AccountsTestWorld.AuditAsync(w.Owner);
        var byAction = entries.ToLookup(e => e.GetProperty("action").GetString());
        Assert.Contains(byAction["user.signed_in"], e => e.GetProperty("actor_user_id").GetInt64() == ivanId);
        Assert.Contains(byAction["token.created"], e => e.GetProperty("actor").GetString() == "ivan@example.com");
        var roleChange = Assert.Single(byAction["member.role_changed"]);
        Assert.Equal("agent", roleChange.GetProperty("details").GetProperty("from").GetString());
        Assert.Equal("admin", roleChange.GetProperty("details").GetProperty("to").GetString());
        var erase = Assert.Single(byAction["lead.erased"]);
        Assert.Equal(lead.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), erase.GetProperty("target_id").GetString());
        Assert.Equal("ivan@example.com", erase.GetProperty("actor").GetString());
        Assert.Equal(entries.Select(e => e.GetProperty("id").GetInt64()).OrderDescending(), entries.Select(e => e.GetProperty("id").GetInt64()));
        Assert.DoesNotContain("audit.person@example.com", JsonSerializer.Serialize(entries), StringComparison.OrdinalIgnoreCase);

        // Keyset pages, newest first, and the filters.
        var first = await w.Owner.GetFromJsonAsync<JsonElement>("/api/v1/audit?limit=2");
        var second = await w.Owner.GetFromJsonAsync<JsonElement>($"/api/v1/audit?limit=2&cursor={first.GetProperty("next_cursor").GetString()}");
        Assert.Equal(
            entries.Take(4).Select(e => e.GetProperty("id").GetInt64()),
            first.GetProperty("items").EnumerateArray().Concat(second.GetProperty("items").EnumerateArray()).Select(e => e.GetProperty("id").GetInt64()));
        Assert.All(await AccountsTestWorld.AuditAsync(w.Owner, $"&actor_user_id={ivanId}"), e => Assert.Equal(ivanId, e.GetProperty("actor_user_id").GetInt64()));
        Assert.Empty(await AccountsTestWorld.AuditAsync(w.Owner, "&since=2999-01-01T00:00:00Z"));
        using var badCursor = await w.Owner.GetAsync("/api/v1/audit?cursor=nonsense!");
        Assert.Equal(HttpStatusCode.BadRequest, badCursor.StatusCode);

        using var byAdmin = await ivan.GetAsync("/api/v1/audit");
        Assert.Equal(HttpStatusCode.Forbidden, byAdmin.StatusCode);
        var agent = await TestAccounts.CreateMemberAsync(w.Host, workspaceId, WorkspaceRole.Agent, "agent@example.com");
        using var byAgent = await agent.Client.GetAsync("/api/v1/audit");
        Assert.Equal(HttpStatusCode.Forbidden, byAgent.StatusCode);
        using var anonymous = await w.Host.Anonymous.GetAsync("/api/v1/audit");
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);

        // Another workspace's owner sees none of it.
        var other = await TestAccounts.CreateWorkspaceAsync(w.Host, "Other");
        var otherOwner = await TestAccounts.CreateMemberAsync(w.Host, other, WorkspaceRole.Owner, "other@example.com");
        Assert.Empty(await AccountsTestWorld.AuditAsync(otherOwner.Client));
    }
}
