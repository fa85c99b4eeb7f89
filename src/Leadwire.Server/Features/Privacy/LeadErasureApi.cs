using Leadwire.Data;
using Leadwire.Features.Accounts;
using Leadwire.Features.Audit;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Leadwire.Features.Privacy;

public sealed record ErasedLeadDto(long LeadId, DateTime ErasedAt);

/// <summary>Erasing one lead on request (GDPR right to erasure). Admins and owners only: it cannot be undone.</summary>
public static class LeadErasureApi
{
    public static IEndpointRouteBuilder MapLeadErasure(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/v1/leads/{id:long}/erase", EraseAsync).RequireRole(WorkspaceRole.Admin).WithTags("Privacy")
            .WithSummary("Remove the lead's personal data for good; the anonymous row (status, dates, attribution) stays");
        return app;
    }

    internal static async Task<Results<Ok<ErasedLeadDto>, NotFound>> EraseAsync(
        long id, Caller caller, LeadwireDbContext db, WriteGate gate, LeadEraser eraser, AuditLog audit, CancellationToken cancellationToken)
    {
        DateTime? erasedAt = null;
        await db.InWriteTransactionAsync(gate, async () =>
        {
            var lead = await db.Leads.VisibleTo(caller).Where(l => l.Id == id).Select(l => new { l.Id, l.ErasedAt }).SingleOrDefaultAsync(cancellationToken);
            if (lead is null)
            {
                return;
            }
            var erased = await eraser.EraseAsync(db, [lead.Id], caller.UserId, caller.Label, cancellationToken);
            if (erased.Count == 1)
            {
                erasedAt = erased[0].ErasedAt;
                audit.Record(db, caller, "lead.erased", "lead", AuthApi.Id(lead.Id), new { count = 1 });
            }
            else
            {
                // Erased already: asking again is harmless and answers the same way.
                erasedAt = lead.ErasedAt ?? await db.Leads.Where(l => l.Id == id).Select(l => l.ErasedAt).SingleAsync(cancellationToken);
            }
        }, cancellationToken);
        return erasedAt is { } at ? TypedResults.Ok(new ErasedLeadDto(id, at)) : TypedResults.NotFound();
    }
}
