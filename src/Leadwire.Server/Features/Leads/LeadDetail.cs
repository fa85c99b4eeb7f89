using Leadwire.Data;
using Leadwire.Features.Accounts;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Leadwire.Features.Leads;

/// <summary>
/// GET /api/v1/leads/{id}: the lead with its answers, disclaimer responses, attribution and raw node, its score with
/// the reason for every point, tags, contact and the contact's other leads, and the timeline oldest first.
/// </summary>
public static class LeadDetail
{
    /// <summary>A contact with more leads than this is a data problem, not something to page through here.</summary>
    private const int MaxSiblings = 200;

    public static async Task<Results<Ok<LeadDto>, NotFound>> GetAsync(long id, Caller caller, LeadwireDbContext db, CancellationToken cancellationToken)
    {
        var lead = await db.Leads.AsNoTracking().OpenableBy(caller).SingleOrDefaultAsync(l => l.Id == id, cancellationToken);
        if (lead is null)
        {
            return TypedResults.NotFound();
        }
        return TypedResults.Ok(await LoadAsync(lead, caller, db, cancellationToken));
    }

    internal static async Task<LeadDto> LoadAsync(Lead lead, Caller caller, LeadwireDbContext db, CancellationToken cancellationToken)
    {
        var dto = (await new[] { lead }.ToDtosAsync(db, includeRaw: true, cancellationToken))[0];

        IReadOnlyList<long> siblings = [];
        if (lead.ContactId is { } contactId)
        {
            // Only the siblings this caller may open: an agent does not learn of leads assigned to others.
            siblings = await db.Leads.AsNoTracking().OpenableBy(caller)
                .Where(l => l.ContactId == contactId && l.Id != lead.Id)
                .OrderBy(l => l.Id).Select(l => l.Id).Take(MaxSiblings)
                .ToListAsync(cancellationToken);
        }

        var timeline = await db.LeadEvents.AsNoTracking()
            .Where(e => e.LeadId == lead.Id)
            .OrderBy(e => e.Id)
            .ToListAsync(cancellationToken);

        var entries = timeline.Select(e => e.ToDto()).ToList();
        // Leads stored before the created entry was derived have it as a stored event.
        if (!timeline.Any(e => e.Type == LeadEventTypes.Created))
        {
            entries.Insert(0, LeadIntake.CreatedEvent(lead));
        }

        return dto with
        {
            // Not scored yet: no reasons rather than no field, so clients read one shape.
            ScoreReasons = LeadDtoMapping.Json(lead.ScoreReasonsJson) ?? LeadDtoMapping.Json("[]"),
            SiblingLeadIds = siblings,
            Timeline = entries,
        };
    }
}
