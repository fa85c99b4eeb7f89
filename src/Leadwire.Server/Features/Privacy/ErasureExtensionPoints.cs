using Leadwire.Data;

namespace Leadwire.Features.Privacy;

/// <summary>
/// A feature that keeps personal data about leads in tables of its own (messages, notifications, Conversions API
/// events) registers one of these; <see cref="LeadEraser"/> calls it inside every erasing transaction, so a lead is
/// erased everywhere or nowhere.
/// </summary>
public interface IErasureParticipant
{
    /// <summary>Remove personal data for these leads. Runs in the caller's transaction, holding the write gate.</summary>
    Task EraseAsync(LeadwireDbContext db, IReadOnlyList<long> leadIds, CancellationToken cancellationToken);
}

/// <summary>
/// Finds the leads that belong to a Meta app-scoped user id, for Meta's data-deletion callback. Lead Ads leads carry
/// no such id, so nothing is registered today; a messaging feature that stores the senders' ids would add one.
/// </summary>
public interface IMetaUserLeadLocator
{
    Task<IReadOnlyList<long>> FindLeadsAsync(LeadwireDbContext db, string metaUserId, CancellationToken cancellationToken);
}
