using System.Net.Http.Headers;
using Leadwire.Data;
using Leadwire.Features.Accounts;
using Microsoft.Extensions.DependencyInjection;

namespace Leadwire.Tests.Infrastructure;

/// <summary>
/// Workspaces and members made straight in the host's database, each member with an API token, for tests that need
/// more than the bootstrap owner (agents, admins, a second workspace).
/// </summary>
public static class TestAccounts
{
    /// <summary>A user with <paramref name="role"/> in the workspace and an HttpClient carrying their own token.</summary>
    public static async Task<(long UserId, HttpClient Client)> CreateMemberAsync(LeadwireHost host, long workspaceId, WorkspaceRole role, string email)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(email);

        await using var scope = host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<LeadwireDbContext>();
        var gate = scope.ServiceProvider.GetRequiredService<WriteGate>();
        var tokens = scope.ServiceProvider.GetRequiredService<ApiTokenService>();
        var now = TimeProvider.System.GetUtcNow().UtcDateTime;

        using (await gate.EnterAsync(CancellationToken.None))
        {
            var user = new UserAccount
            {
                Email = email,
                NormalizedEmail = email.ToUpperInvariant(),
                SecurityStamp = Guid.NewGuid().ToString("N"),
                CreatedAt = now,
            };
            db.Users.Add(user);
            await db.SaveChangesAsync();

            db.Memberships.Add(new Membership { WorkspaceId = workspaceId, UserId = user.Id, Role = role, CreatedAt = now });
            var issued = tokens.Create(db, user.Id, workspaceId, "test", null);
            await db.SaveChangesAsync();

            var client = new HttpClient { BaseAddress = host.BaseUrl, Timeout = TimeSpan.FromSeconds(60) };
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", issued.PlainToken);
            return (user.Id, client);
        }
    }

    /// <summary>A workspace with no pages, leads or members yet.</summary>
    public static async Task<long> CreateWorkspaceAsync(LeadwireHost host, string name)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(name);

        await using var scope = host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<LeadwireDbContext>();
        var gate = scope.ServiceProvider.GetRequiredService<WriteGate>();
        var now = TimeProvider.System.GetUtcNow().UtcDateTime;

        using (await gate.EnterAsync(CancellationToken.None))
        {
            var workspace = new Workspace { Name = name, CreatedAt = now, UpdatedAt = now };
            db.Workspaces.Add(workspace);
            await db.SaveChangesAsync();
            return workspace.Id;
        }
    }
}
