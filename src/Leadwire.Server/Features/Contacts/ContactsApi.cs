using Leadwire.Data;
using Leadwire.Features.Accounts;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Leadwire.Features.Contacts;

/// <summary>One of a contact's leads.</summary>
public sealed record ContactLeadDto(
    long Id, string? FullName, DateTime CreatedTime, string Status, int Score, string? PageId, string? FormId, string? FormName, long? AssigneeUserId);

/// <summary>A person across leads: the first email, phone and name seen, and their leads (newest first).</summary>
public sealed record ContactDto(
    long Id, string? Name, string? Email, string? Phone, DateTime CreatedAt, DateTime UpdatedAt, int LeadCount, IReadOnlyList<ContactLeadDto> Leads);

public static class ContactsApi
{
    /// <summary>A contact can gather thousands of leads (a shared office number); the newest this many are listed.</summary>
    public const int MaxLeads = 500;

    public static IEndpointRouteBuilder MapContactsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/contacts").RequireRole(WorkspaceRole.Agent).WithTags("Contacts");
        group.MapGet("/{id:long}", GetAsync).WithSummary("A contact and its leads (agents: only their own leads, and only contacts that have one)");
        return app;
    }

    internal static async Task<Results<Ok<ContactDto>, NotFound>> GetAsync(long id, Caller caller, LeadwireDbContext db, CancellationToken cancellationToken)
    {
        var contact = await db.Contacts.AsNoTracking().SingleOrDefaultAsync(c => c.Id == id && c.WorkspaceId == caller.WorkspaceId, cancellationToken);
        if (contact is null)
        {
            return TypedResults.NotFound();
        }

        var leads = db.Leads.AsNoTracking().VisibleTo(caller).Where(l => l.ContactId == id && l.DeletedAt == null && l.ErasedAt == null);
        var count = await leads.CountAsync(cancellationToken);
        // An agent learns nothing about a person none of whose leads they work, not even that the contact exists.
        if (count == 0 && caller.SeesOnlyOwnLeads)
        {
            return TypedResults.NotFound();
        }
        var rows = await leads
            .OrderByDescending(l => l.CreatedTime).ThenByDescending(l => l.Id)
            .Take(MaxLeads)
            .Select(l => new
            {
                l.Id, l.FullName, l.CreatedTime, l.Status, l.Score, l.MetaPageId, l.MetaFormId, l.AssigneeUserId,
                FormName = db.Forms.Where(f => f.Id == l.FormId).Select(f => f.Name).FirstOrDefault(),
            })
            .ToListAsync(cancellationToken);

        return TypedResults.Ok(new ContactDto(
            contact.Id, contact.Name, contact.EmailNormalized, contact.PhoneNormalized, contact.CreatedAt, contact.UpdatedAt, count,
            rows.Select(l => new ContactLeadDto(
                l.Id, l.FullName, l.CreatedTime, l.Status.ToString().ToLowerInvariant(), l.Score, l.MetaPageId, l.MetaFormId, l.FormName, l.AssigneeUserId)).ToList()));
    }
}
