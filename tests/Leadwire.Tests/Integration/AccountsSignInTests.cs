using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Leadwire.Data;
using Leadwire.Infrastructure;
using Leadwire.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Leadwire.Tests.Integration;

/// <summary>K1: sign-in with email and password, the session cookie, lockout, the login rate limit, passwords.</summary>
public sealed class AccountsSignInTests
{
    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Login_RightPassword_SetsSessionCookieThatWorksForMe(DatabaseProvider provider)
    {
        await using var w = await AccountsTestWorld.StartAsync(provider);
        var userId = await w.AddMemberAsync("ada@example.com", "admin");
        var browser = w.NewBrowser();

        using var login = await AccountsTestWorld.LoginAsync(browser, "ADA@example.com", AccountsTestWorld.Password);

        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        var cookie = Assert.Single(login.Headers.GetValues("Set-Cookie"), c => c.StartsWith("leadwire.session=", StringComparison.Ordinal));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
        var body = await login.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(userId, body.GetProperty("user").GetProperty("id").GetInt64());
        Assert.Equal("admin", Assert.Single(body.GetProperty("workspaces").EnumerateArray()).GetProperty("role").GetString());

        var me = await browser.GetFromJsonAsync<JsonElement>("/api/v1/me");
        Assert.Equal("ada@example.com", me.GetProperty("user").GetProperty("email").GetString());
        Assert.Equal("cookie", me.GetProperty("authenticated_by").GetString());
        Assert.Equal("admin", me.GetProperty("workspace").GetProperty("role").GetString());
        Assert.Single(me.GetProperty("memberships").EnumerateArray());
        Assert.NotNull(await w.Host.QueryAsync(db => db.Users.Where(u => u.Id == userId).Select(u => u.LastSignInAt).SingleAsync()));

        using var logout = await browser.PostAsync("/api/v1/auth/logout", null);
        Assert.Equal(HttpStatusCode.NoContent, logout.StatusCode);
        using var after = await browser.GetAsync("/api/v1/me");
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
        using var anonymous = await w.Host.Anonymous.GetAsync("/api/v1/me");
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Login_WrongPasswordOrUnknownEmail_SameProblem401AndAudited(DatabaseProvider provider)
    {
        await using var w = await AccountsTestWorld.StartAsync(provider);
        await w.AddMemberAsync("bob@example.com", "agent");

        using var wrong = await AccountsTestWorld.LoginAsync(w.Host.Anonymous, "bob@example.com", "not the password");
        using var unknown = await AccountsTestWorld.LoginAsync(w.Host.Anonymous, "nobody@example.com", "not the password");

        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, unknown.StatusCode);
        Assert.False(wrong.Headers.Contains("Set-Cookie"));
        var wrongProblem = await AccountsTestWorld.ProblemAsync(wrong);
        var unknownProblem = await AccountsTestWorld.ProblemAsync(unknown);
        Assert.Equal(wrongProblem.GetProperty("detail").GetString(), unknownProblem.GetProperty("detail").GetString());

        var failures = await w.Host.QueryAsync(db => db.AuditLog.Where(a => a.Action == "user.sign_in_failed").OrderBy(a => a.Id).ToListAsync());
        Assert.Equal(2, failures.Count);
        Assert.All(failures, f => Assert.Null(f.WorkspaceId));
        Assert.All(failures, f => Assert.DoesNotContain("not the password", f.Details, StringComparison.Ordinal));
        Assert.Contains("nobody@example.com", failures[1].Details, StringComparison.Ordinal);

        // The installation's operator sees sign-in failures, which belong to no workspace.
        var audit = await AccountsTestWorld.AuditAsync(w.Owner, "&action=user.sign_in_failed");
        Assert.Equal(2, audit.Count);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Login_FiveFailures_LocksAccountEvenForRightPassword(DatabaseProvider provider)
    {
        await using var w = await AccountsTestWorld.StartAsync(provider);
        await w.AddMemberAsync("carol@example.com", "agent");

        for (var i = 1; i <= 4; i++)
        {
            using var failed = await AccountsTestWorld.LoginAsync(w.Host.Anonymous, "carol@example.com", $"guess number {i}");
            Assert.Equal(HttpStatusCode.Unauthorized, failed.StatusCode);
        }
        using var fifth = await AccountsTestWorld.LoginAsync(w.Host.Anonymous, "carol@example.com", "guess number 5");
        Assert.Equal(HttpStatusCode.Locked, fifth.StatusCode);

        using var right = await AccountsTestWorld.LoginAsync(w.Host.Anonymous, "carol@example.com", AccountsTestWorld.Password);
        Assert.Equal(HttpStatusCode.Locked, right.StatusCode);
        Assert.False(right.Headers.Contains("Set-Cookie"));
        var retryAfter = right.Headers.RetryAfter?.Delta;
        Assert.NotNull(retryAfter);
        Assert.InRange(retryAfter.Value, TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(15));
        var problem = await AccountsTestWorld.ProblemAsync(right);
        Assert.Equal(423, problem.GetProperty("status").GetInt32());
        Assert.True(problem.GetProperty("locked_until").GetDateTime() > TimeProvider.System.GetUtcNow().UtcDateTime.AddMinutes(10));
        Assert.Contains("Try again after", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    public async Task Login_TooManyAttemptsFromOneAddress_429Problem(DatabaseProvider provider)
    {
        await using var w = await AccountsTestWorld.StartAsync(provider, s => s["Leadwire:Accounts:LoginAttemptsPerMinute"] = "3");

        for (var i = 0; i < 3; i++)
        {
            using var allowed = await AccountsTestWorld.LoginAsync(w.Host.Anonymous, $"user{i}@example.com", "whatever password");
            Assert.Equal(HttpStatusCode.Unauthorized, allowed.StatusCode);
        }
        using var limited = await AccountsTestWorld.LoginAsync(w.Host.Anonymous, "owner@leadwire.local", "whatever password");

        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        var problem = await AccountsTestWorld.ProblemAsync(limited);
        Assert.Equal(429, problem.GetProperty("status").GetInt32());
        // Refused before the password was looked at: no fourth failure was recorded.
        Assert.Equal(3, await w.Host.QueryAsync(db => db.AuditLog.CountAsync(a => a.Action == "user.sign_in_failed")));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Password_BootstrapOwnerWithoutOne_SetsFirstThenNeedsCurrent(DatabaseProvider provider)
    {
        await using var w = await AccountsTestWorld.StartAsync(provider);
        var tokenUser = await TestAccounts.CreateMemberAsync(w.Host, await w.WorkspaceIdAsync(w.Owner), WorkspaceRole.Agent, "tokenonly@example.com");

        // No password yet, but an API token is not enough to set the first one.
        using var viaToken = await tokenUser.Client.PutAsJsonAsync("/api/v1/me/password", new { new_password = "a brand new password 3" });
        Assert.Equal(HttpStatusCode.Forbidden, viaToken.StatusCode);

        using var weak = await w.Owner.PutAsJsonAsync("/api/v1/me/password", new { new_password = "short" });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, weak.StatusCode);
        Assert.True((await AccountsTestWorld.ProblemAsync(weak)).GetProperty("errors").TryGetProperty("new_password", out _));

        using var first = await w.Owner.PutAsJsonAsync("/api/v1/me/password", new { new_password = "owner password 1" });
        Assert.Equal(HttpStatusCode.NoContent, first.StatusCode);
        var browser = await w.SignInAsync("owner@leadwire.local", "owner password 1");

        using var missing = await browser.PutAsJsonAsync("/api/v1/me/password", new { new_password = "owner password 2" });
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        Assert.True((await AccountsTestWorld.ProblemAsync(missing)).GetProperty("errors").TryGetProperty("current_password", out _));
        using var mismatch = await browser.PutAsJsonAsync("/api/v1/me/password", new { current_password = "wrong one here", new_password = "owner password 2" });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, mismatch.StatusCode);
        Assert.True((await AccountsTestWorld.ProblemAsync(mismatch)).GetProperty("errors").TryGetProperty("current_password", out _));

        using var changed = await browser.PutAsJsonAsync("/api/v1/me/password", new { current_password = "owner password 1", new_password = "owner password 2" });
        Assert.Equal(HttpStatusCode.NoContent, changed.StatusCode);
        // The session that changed it carries on; the old password no longer signs in.
        using var me = await browser.GetAsync("/api/v1/me");
        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
        using var old = await AccountsTestWorld.LoginAsync(w.Host.Anonymous, "owner@leadwire.local", "owner password 1");
        Assert.Equal(HttpStatusCode.Unauthorized, old.StatusCode);
        await w.SignInAsync("owner@leadwire.local", "owner password 2");

        var actions = (await AccountsTestWorld.AuditAsync(w.Owner)).Select(a => a.GetProperty("action").GetString()).ToList();
        Assert.Contains("user.password_set", actions);
        Assert.Contains("user.password_changed", actions);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    public async Task OpenApi_Document_ListsAccountAuditAndPrivacyEndpoints(DatabaseProvider provider)
    {
        await using var w = await AccountsTestWorld.StartAsync(provider);

        var paths = (await w.Host.Anonymous.GetFromJsonAsync<JsonElement>("/openapi/v1.json")).GetProperty("paths");

        foreach (var path in new[]
                 {
                     "/api/v1/auth/login", "/api/v1/auth/logout", "/api/v1/me", "/api/v1/me/password", "/api/v1/workspaces", "/api/v1/workspace",
                     "/api/v1/workspace/members", "/api/v1/workspace/members/{userId}", "/api/v1/tokens", "/api/v1/tokens/{id}", "/api/v1/audit",
                     "/api/v1/leads/{id}/erase", "/meta/data-deletion", "/meta/data-deletion/{code}",
                 })
        {
            Assert.True(paths.TryGetProperty(path, out _), $"{path} is missing from the OpenAPI document");
        }
    }
}
