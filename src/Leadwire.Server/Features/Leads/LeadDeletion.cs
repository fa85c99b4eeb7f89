using System.Globalization;
using Leadwire.Data;
using Leadwire.Features.Accounts;
using Leadwire.Features.Audit;
using Leadwire.Features.Live;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Leadwire.Features.Leads;

/// <summary>
/// DELETE /api/v1/leads/{id} and POST /api/v1/leads/{id}/restore (admins and owners): a soft delete hides the lead
/// from the list (and from agents entirely) and keeps everything for a restore. Erasing personal data for good is
/// a different action. Deleting a deleted lead, or restoring a live one, changes nothing and succeeds.
/// </summary>
public static class LeadDeletion
{
    public static async Task<Results<NoContent, NotFound>> DeleteAsync(
        long id, Caller caller, LeadwireDbContext db, WriteGate gate, TimeProvider time, LiveEvents live, AuditLog audit, CancellationToken cancellationToken)
    {
        var outcome = await LeadChanges.ApplyAsync(db, gate, time, live, caller, id, null, change =>
        {
            var lead = change.Lead;
            if (lead.DeletedAt is not null)
            {
                change.Unchanged();
                return Task.FromResult<ProblemHttpResult?>(null);
            }
            lead.DeletedAt = change.Now;
            change.Record(LeadEventTypes.Deleted, null);
            audit.Record(db, caller, "lead.deleted", "lead", lead.Id.ToString(CultureInfo.InvariantCulture), new { lead.MetaLeadId });
            return Task.FromResult<ProblemHttpResult?>(null);
        }, cancellationToken);
        return outcome.NotFound ? TypedResults.NotFound() : TypedResults.NoContent();
    }

    public static async Task<Results<Ok<LeadDto>, NotFound>> RestoreAsync(
        long id, Caller caller, LeadwireDbContext db, WriteGate gate, TimeProvider time, LiveEvents live, AuditLog audit, CancellationToken cancellationToken)
    {
        var outcome = await LeadChanges.ApplyAsync(db, gate, time, live, caller, id, null, change =>
        {
            var lead = change.Lead;
            if (lead.DeletedAt is null)
            {
                change.Unchanged();
                return Task.FromResult<ProblemHttpResult?>(null);
            }
            lead.DeletedAt = null;
            change.Record(LeadEventTypes.Restored, null);
            audit.Record(db, caller, "lead.restored", "lead", lead.Id.ToString(CultureInfo.InvariantCulture), new { lead.MetaLeadId });
            return Task.FromResult<ProblemHttpResult?>(null);
        }, cancellationToken);
        if (outcome.NotFound)
        {
            return TypedResults.NotFound();
        }
        return TypedResults.Ok((await new[] { outcome.Lead! }.ToDtosAsync(db, includeRaw: false, cancellationToken))[0]);
    }
}
