using Leadwire.Data;
using Leadwire.Features.Scoring;
using Microsoft.EntityFrameworkCore;

namespace Leadwire.Features.Privacy;

/// <summary>A lead this erasure removed personal data from.</summary>
public sealed record ErasedLead(long Id, long WorkspaceId, DateTime ErasedAt);

/// <summary>
/// Removes a lead's personal data for good, from every table, set-based: the lead's personal columns, the text of its
/// timeline, its tags, its contact (deleted when no other lead uses it), and whatever <see cref="IErasureParticipant"/>s
/// hold. The row itself stays, with status, dates, attribution, page and form, so anonymous counts still add up; so
/// does <c>meta_lead_id</c>, which keeps a late webhook or a reconciliation from fetching the lead from Meta again.
/// </summary>
public sealed class LeadEraser(DatabaseDialect dialect, TimeProvider time, IEnumerable<IErasureParticipant> participants)
{
    /// <summary>What an erased lead's timeline events keep instead of their details.</summary>
    public const string RedactedData = """{"redacted":true}""";

    /// <summary>
    /// Erases those of <paramref name="leadIds"/> not erased yet and returns them. Call inside a transaction that holds
    /// the write gate, and SaveChanges afterwards (the <c>erased</c> timeline events are added to the context).
    /// </summary>
    public async Task<IReadOnlyList<ErasedLead>> EraseAsync(
        LeadwireDbContext db, IReadOnlyCollection<long> leadIds, long? actorUserId, string actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(leadIds);
        if (leadIds.Count == 0)
        {
            return [];
        }
        var ids = leadIds.Distinct().ToList();
        // Contact linking reads new leads and writes their keys and contacts in one transaction; on PostgreSQL it could
        // otherwise read a lead just before this commits and write its email back just after. Same lock, one at a time.
        await ExclusiveWork.LockAsync(db, dialect, ExclusiveWork.LeadIntake, cancellationToken);
        // Microseconds: what both databases store, so the read-back below compares equal values.
        var ticks = time.GetUtcNow().UtcTicks;
        var now = new DateTime(ticks - ticks % 10, DateTimeKind.Utc);

        // Claim first: the update takes the rows' locks, so on PostgreSQL a concurrent erasure of the same leads waits,
        // then finds them erased and leaves them alone. What this one claimed is read back by its timestamp.
        await db.Leads.Where(l => ids.Contains(l.Id) && l.ErasedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(l => l.ErasedAt, now), cancellationToken);
        var claimed = await db.Leads.Where(l => ids.Contains(l.Id) && l.ErasedAt == now)
            .Select(l => new { l.Id, l.WorkspaceId, l.ContactId })
            .ToListAsync(cancellationToken);
        if (claimed.Count == 0)
        {
            return [];
        }
        var erased = claimed.Select(c => c.Id).ToList();

        await db.Leads.Where(l => erased.Contains(l.Id)).ExecuteUpdateAsync(s => s
            .SetProperty(l => l.FullName, (string?)null)
            .SetProperty(l => l.FirstName, (string?)null)
            .SetProperty(l => l.LastName, (string?)null)
            .SetProperty(l => l.Email, (string?)null)
            .SetProperty(l => l.Phone, (string?)null)
            .SetProperty(l => l.StreetAddress, (string?)null)
            .SetProperty(l => l.City, (string?)null)
            .SetProperty(l => l.State, (string?)null)
            .SetProperty(l => l.Zip, (string?)null)
            .SetProperty(l => l.Country, (string?)null)
            .SetProperty(l => l.CompanyName, (string?)null)
            .SetProperty(l => l.JobTitle, (string?)null)
            .SetProperty(l => l.AnswersJson, "{}")
            .SetProperty(l => l.DisclaimerResponsesJson, (string?)null)
            .SetProperty(l => l.RawJson, "{}")
            .SetProperty(l => l.EmailNormalized, (string?)null)
            .SetProperty(l => l.PhoneNormalized, (string?)null)
            .SetProperty(l => l.NameNormalized, (string?)null)
            .SetProperty(l => l.ScoreReasonsJson, (string?)null)
            // Free text a person typed ("spoke to Jane, wrong number"): it may name the lead.
            .SetProperty(l => l.StatusReason, (string?)null)
            .SetProperty(l => l.ContactId, (long?)null)
            .SetProperty(l => l.UpdatedAt, now), cancellationToken);

        // Every event's details, not only notes and interactions: reasons, tags and later messages are free text too.
        // Type, time and author stay, so the timeline still shows that something happened and who did it.
        await db.LeadEvents.Where(e => erased.Contains(e.LeadId) && e.DataJson != null)
            .ExecuteUpdateAsync(s => s.SetProperty(e => e.DataJson, RedactedData), cancellationToken);
        await db.LeadTags.Where(t => erased.Contains(t.LeadId)).ExecuteDeleteAsync(cancellationToken);
        await EraseContactsAsync(db, claimed.Where(c => c.ContactId is not null).Select(c => c.ContactId!.Value).Distinct().ToList(), now, cancellationToken);

        foreach (var participant in participants)
        {
            await participant.EraseAsync(db, erased, cancellationToken);
        }

        db.LeadEvents.AddRange(claimed.Select(c => new LeadEvent
        {
            LeadId = c.Id,
            WorkspaceId = c.WorkspaceId,
            Type = LeadEventTypes.Erased,
            ActorUserId = actorUserId,
            Actor = actor,
            At = now,
        }));
        return claimed.Select(c => new ErasedLead(c.Id, c.WorkspaceId, now)).ToList();
    }

    /// <summary>
    /// A contact left without leads is deleted. One that still has other leads keeps only what those leads hold: its
    /// email, phone and name are taken again from them, since the erased lead may have been where they came from.
    /// </summary>
    private static async Task EraseContactsAsync(LeadwireDbContext db, List<long> contactIds, DateTime now, CancellationToken cancellationToken)
    {
        if (contactIds.Count == 0)
        {
            return;
        }
        await db.Contacts.Where(c => contactIds.Contains(c.Id) && !db.Leads.Any(l => l.ContactId == c.Id))
            .ExecuteDeleteAsync(cancellationToken);
        await db.Contacts.Where(c => contactIds.Contains(c.Id)).ExecuteUpdateAsync(s => s
            .SetProperty(c => c.EmailNormalized, c => db.Leads
                .Where(l => l.ContactId == c.Id && l.EmailNormalized != null).OrderByDescending(l => l.Id).Select(l => l.EmailNormalized).FirstOrDefault())
            .SetProperty(c => c.PhoneNormalized, c => db.Leads
                .Where(l => l.ContactId == c.Id && l.PhoneNormalized != null).OrderByDescending(l => l.Id).Select(l => l.PhoneNormalized).FirstOrDefault())
            .SetProperty(c => c.Name, c => db.Leads
                .Where(l => l.ContactId == c.Id && l.FullName != null).OrderByDescending(l => l.Id).Select(l => l.FullName).FirstOrDefault())
            .SetProperty(c => c.UpdatedAt, now), cancellationToken);
    }
}
