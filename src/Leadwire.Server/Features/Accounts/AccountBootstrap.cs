using Leadwire.Data;
using Leadwire.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Leadwire.Features.Accounts;

/// <summary>
/// On a database without users, and with a bootstrap token (or demo mode) configured, creates the first workspace
/// and its owner, so the bootstrap token has someone to act as. The owner's sign-in password comes from
/// <c>Leadwire__Bootstrap__OwnerPassword</c> when set; otherwise it can be set later through the API.
/// </summary>
public sealed partial class AccountBootstrap(
    LeadwireDbContext db, UserManager<UserAccount> users, IOptions<BootstrapOptions> options, ApiTokens tokens, TimeProvider time,
    ILogger<AccountBootstrap> logger)
{
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        if (!tokens.HasBootstrapToken || await db.Users.AnyAsync(cancellationToken))
        {
            return;
        }

        var now = time.GetUtcNow().UtcDateTime;
        var settings = options.Value;
        var owner = new UserAccount
        {
            Email = settings.OwnerEmail,
            NormalizedEmail = users.NormalizeEmail(settings.OwnerEmail),
            SecurityStamp = Guid.NewGuid().ToString("N"),
            DisplayName = "Owner",
            CreatedAt = now,
        };
        var created = string.IsNullOrEmpty(settings.OwnerPassword)
            ? await users.CreateAsync(owner)
            : await users.CreateAsync(owner, settings.OwnerPassword);
        if (!created.Succeeded)
        {
            throw new InvalidOperationException(
                "Could not create the bootstrap owner (Leadwire:Bootstrap:OwnerEmail / OwnerPassword): "
                + string.Join(" ", created.Errors.Select(e => e.Description)));
        }

        // A database from before workspaces has its pages in a default workspace already: the owner gets that one.
        var workspaces = await db.Workspaces.Select(w => w.Id).ToListAsync(cancellationToken);
        if (workspaces.Count == 0)
        {
            var workspace = new Workspace { Name = settings.WorkspaceName, CreatedAt = now, UpdatedAt = now };
            db.Workspaces.Add(workspace);
            await db.SaveChangesAsync(cancellationToken);
            workspaces.Add(workspace.Id);
        }
        foreach (var id in workspaces)
        {
            db.Memberships.Add(new Membership { WorkspaceId = id, UserId = owner.Id, Role = WorkspaceRole.Owner, CreatedAt = now });
        }
        await db.SaveChangesAsync(cancellationToken);
        LogBootstrapped(logger, owner.Id, workspaces.Count);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Created the first account (user {UserId}) as owner of {Count} workspace(s) for the bootstrap token")]
    private static partial void LogBootstrapped(ILogger logger, long userId, int count);
}
