using Leadwire.Data;
using Leadwire.Features.Audit;
using Leadwire.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Leadwire.Dashboard;

/// <summary>The first-run form: the owner's email and password, and the first workspace.</summary>
public sealed record SetupForm(string? Email, string? Password, string? WorkspaceName, string? TimeZone, string? BootstrapToken);

/// <summary>
/// First-run setup: open while nobody can sign in with a password. On an empty database it creates the owner and
/// the first workspace; when the bootstrap token already created a password-less owner (or demo mode did), it
/// completes that owner instead. Outside demo mode, completing the bootstrap owner asks for the bootstrap token: a
/// server reachable by others must not hand its first account to whoever loads the page first.
/// </summary>
public sealed class FirstRunSetup(
    LeadwireDbContext db, UserManager<UserAccount> users, ApiTokens tokens, DemoState demo, WriteGate gate, AuditLog audit, TimeProvider time)
{
    public async Task<bool> IsOpenAsync(CancellationToken cancellationToken) =>
        !await db.Users.AnyAsync(u => u.PasswordHash != null, cancellationToken);

    /// <summary>Whether the form must carry the bootstrap token.</summary>
    public async Task<bool> NeedsTokenAsync(CancellationToken cancellationToken) =>
        !demo.Enabled && tokens.HasBootstrapToken && await db.Users.AnyAsync(cancellationToken);

    /// <summary>Creates or completes the owner; the errors are keyed by form field.</summary>
    public async Task<(UserAccount? Owner, Dictionary<string, string> Errors)> CompleteAsync(SetupForm form, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(form);
        var errors = new Dictionary<string, string>();
        var email = form.Email?.Trim() ?? "";
        if (email.Length is 0 or > 256 || !email.Contains('@', StringComparison.Ordinal))
        {
            errors["email"] = "Enter the email address you will sign in with.";
        }
        var name = form.WorkspaceName?.Trim() ?? "";
        if (name.Length is 0 or > 200)
        {
            errors["workspace_name"] = "Name the workspace (at most 200 characters), e.g. your business's name.";
        }
        var zone = string.IsNullOrWhiteSpace(form.TimeZone) ? "UTC" : form.TimeZone.Trim();
        if (!TimeZoneInfo.TryFindSystemTimeZoneById(zone, out _))
        {
            errors["time_zone"] = "Choose a time zone from the list, e.g. Europe/Istanbul.";
        }
        if (string.IsNullOrEmpty(form.Password))
        {
            errors["password"] = "Choose a password of at least 10 characters.";
        }
        if (await NeedsTokenAsync(cancellationToken) && !tokens.IsBootstrapToken(form.BootstrapToken ?? ""))
        {
            errors["bootstrap_token"] = "This is not the server's bootstrap token (Leadwire__Bootstrap__ApiToken).";
        }
        if (errors.Count > 0)
        {
            return (null, errors);
        }

        using (await gate.EnterAsync(cancellationToken))
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            if (!await IsOpenAsync(cancellationToken))
            {
                errors["email"] = "Setup is already done: sign in instead.";
                return (null, errors);
            }
            var now = time.GetUtcNow().UtcDateTime;
            var owner = await db.Users.OrderBy(u => u.Id).FirstOrDefaultAsync(cancellationToken);
            IdentityResult result;
            if (owner is null)
            {
                owner = new UserAccount { Email = email, NormalizedEmail = users.NormalizeEmail(email), SecurityStamp = Guid.NewGuid().ToString("N"), CreatedAt = now };
                result = await users.CreateAsync(owner, form.Password!);
            }
            else
            {
                owner.Email = email;
                owner.NormalizedEmail = users.NormalizeEmail(email);
                result = await users.AddPasswordAsync(owner, form.Password!);
            }
            if (!result.Succeeded)
            {
                errors["password"] = string.Join(" ", result.Errors.Select(e => e.Description));
                return (null, errors);
            }

            var workspace = await db.Memberships.Where(m => m.UserId == owner.Id).OrderBy(m => m.WorkspaceId)
                .Join(db.Workspaces, m => m.WorkspaceId, w => w.Id, (m, w) => w).FirstOrDefaultAsync(cancellationToken);
            if (workspace is null)
            {
                workspace = new Workspace { Name = name, TimeZone = zone, CreatedAt = now, UpdatedAt = now };
                db.Workspaces.Add(workspace);
                await db.SaveChangesAsync(cancellationToken);
                db.Memberships.Add(new Membership { WorkspaceId = workspace.Id, UserId = owner.Id, Role = WorkspaceRole.Owner, CreatedAt = now });
            }
            else
            {
                workspace.Name = name;
                workspace.TimeZone = zone;
                workspace.UpdatedAt = now;
            }
            audit.Record(db, owner.Id, owner.Email, workspace.Id, "setup.completed", "workspace", workspace.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return (owner, errors);
        }
    }
}
