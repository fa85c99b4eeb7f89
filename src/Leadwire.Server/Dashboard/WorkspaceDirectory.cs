using Leadwire.Data;
using Leadwire.Features.Accounts;
using Microsoft.EntityFrameworkCore;

namespace Leadwire.Dashboard;

public sealed record DirectoryPage(string MetaPageId, string Name);

public sealed record DirectoryForm(string MetaFormId, string Name, string MetaPageId);

public sealed record DirectoryMember(long UserId, string Email, string? DisplayName, WorkspaceRole Role)
{
    public string Label => string.IsNullOrWhiteSpace(DisplayName) ? Email : $"{DisplayName} ({Email})";
}

/// <summary>The workspace's pages, forms and people: what the dashboard's filters and pickers offer.</summary>
public sealed record WorkspaceDirectory(IReadOnlyList<DirectoryPage> Pages, IReadOnlyList<DirectoryForm> Forms, IReadOnlyList<DirectoryMember> Members)
{
    public static async Task<WorkspaceDirectory> ReadAsync(Caller caller, LeadwireDbContext db, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(db);
        var pages = await db.Pages.AsNoTracking().Where(p => p.WorkspaceId == caller.WorkspaceId)
            .OrderBy(p => p.Name).Select(p => new DirectoryPage(p.MetaPageId, p.Name)).ToListAsync(cancellationToken);
        var forms = await db.Forms.AsNoTracking().Where(f => f.Page!.WorkspaceId == caller.WorkspaceId)
            .OrderBy(f => f.Name).Select(f => new DirectoryForm(f.MetaFormId, f.Name, f.Page!.MetaPageId)).ToListAsync(cancellationToken);
        var members = await db.Memberships.AsNoTracking().Where(m => m.WorkspaceId == caller.WorkspaceId)
            .Join(db.Users, m => m.UserId, u => u.Id, (m, u) => new DirectoryMember(u.Id, u.Email, u.DisplayName, m.Role))
            .ToListAsync(cancellationToken);
        return new WorkspaceDirectory(pages, forms, members.OrderBy(m => m.Email, StringComparer.OrdinalIgnoreCase).ToList());
    }
}
