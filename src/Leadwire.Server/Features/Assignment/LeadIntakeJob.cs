using Leadwire.Data;
using Leadwire.Features.Contacts;
using Leadwire.Features.Jobs;
using Leadwire.Features.Leads;
using Leadwire.Features.Live;
using Leadwire.Features.Scoring;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Leadwire.Features.Assignment;

/// <summary>
/// The part of a lead's arrival that looks at other rows, done in batches a moment after the leads are stored:
/// link each lead to its contact, then assign it automatically. Takes every lead with no contact yet (not erased)
/// in id order, a few hundred per transaction; the contact link is what marks a lead as done. Leads stored before
/// this existed get their search keys and first score here too. One run at a time: the write gate on SQLite, an
/// advisory lock on PostgreSQL, and every write is conditional as well.
/// </summary>
public sealed class LeadIntakeJob(
    DatabaseDialect dialect, ScoringRulesCache rulesCache, JobEnqueuer queue, LiveEvents live, IOptionsMonitor<LeadIntakeOptions> options) : IJobHandler
{
    public const string Kind = "leads.intake";

    private const int BatchSize = 500;
    private const int BatchesPerRun = 10;

    string IJobHandler.Kind => Kind;

    private sealed record Pending(
        long Id, long WorkspaceId, long PageId, long? FormId, string? CampaignId, string? Email, string? Phone, string? FullName,
        string? EmailNormalized, string? PhoneNormalized, string? NameNormalized, DateTime? ScoredAt,
        long? AssigneeUserId, LeadStatus Status, DateTime? DeletedAt, DateTime StoredAt);

    public async Task HandleAsync(JobContext context, CancellationToken cancellationToken)
    {
        var more = false;
        for (var batch = 0; batch < BatchesPerRun; batch++)
        {
            more = await RunBatchAsync(context, cancellationToken) == BatchSize;
            if (!more)
            {
                break;
            }
        }
        await context.CompleteAsync(more ? db =>
        {
            queue.Enqueue(db, Kind, new { });
            return Task.CompletedTask;
        } : null, cancellationToken);
    }

    private async Task<int> RunBatchAsync(JobContext context, CancellationToken cancellationToken)
    {
        var db = context.Db;
        var count = 0;
        List<AutoAssigner.Assignment> assigned = [];
        await db.InWriteTransactionAsync(context.Gate, async () =>
        {
            await ExclusiveWork.LockAsync(db, dialect, ExclusiveWork.LeadIntake, cancellationToken);
            var now = context.Time.GetUtcNow().UtcDateTime;
            var leads = await db.Leads.AsNoTracking()
                .Where(l => l.ContactId == null && l.ErasedAt == null)
                .OrderBy(l => l.Id).Take(BatchSize)
                .Select(l => new Pending(
                    l.Id, l.WorkspaceId, l.PageId, l.FormId, l.CampaignId, l.Email, l.Phone, l.FullName,
                    l.EmailNormalized, l.PhoneNormalized, l.NameNormalized, l.ScoredAt,
                    l.AssigneeUserId, l.Status, l.DeletedAt, l.StoredAt))
                .ToListAsync(cancellationToken);
            count = leads.Count;
            if (count == 0)
            {
                return;
            }

            var subjects = await BackfillKeysAsync(db, leads, cancellationToken);
            await BackfillScoresAsync(db, leads, now, cancellationToken);
            await ContactLinker.LinkAsync(db, subjects, now, cancellationToken);

            var assignSince = now - options.CurrentValue.AutoAssignWindow;
            var toAssign = leads
                .Where(l => l.AssigneeUserId is null && l.Status == LeadStatus.New && l.DeletedAt is null && l.StoredAt >= assignSince)
                .Select(l => new AutoAssigner.Subject(l.Id, l.WorkspaceId, l.PageId, l.FormId, l.CampaignId))
                .ToList();
            if (toAssign.Count > 0)
            {
                assigned = await AutoAssigner.AssignAsync(db, toAssign, now, cancellationToken);
            }
        }, cancellationToken);
        var at = context.Time.GetUtcNow().UtcDateTime;
        live.Publish(assigned.Select(a => new LiveEvent(LiveEventTypes.LeadAssigned, a.WorkspaceId, a.LeadId, a.AssigneeUserId, at)));
        return count;
    }

    /// <summary>Search keys for leads stored before they were set at ingestion; new leads already have them.</summary>
    private static async Task<List<ContactLinker.Subject>> BackfillKeysAsync(LeadwireDbContext db, List<Pending> leads, CancellationToken cancellationToken)
    {
        var subjects = new List<ContactLinker.Subject>(leads.Count);
        foreach (var lead in leads)
        {
            var email = ContactKeys.NormaliseEmail(lead.Email);
            var phone = ContactKeys.NormalisePhone(lead.Phone);
            var name = ContactKeys.NormaliseName(lead.FullName);
            if (email != lead.EmailNormalized || phone != lead.PhoneNormalized || name != lead.NameNormalized)
            {
                await db.Leads.Where(l => l.Id == lead.Id).ExecuteUpdateAsync(s => s
                    .SetProperty(l => l.EmailNormalized, email)
                    .SetProperty(l => l.PhoneNormalized, phone)
                    .SetProperty(l => l.NameNormalized, name), cancellationToken);
            }
            subjects.Add(new ContactLinker.Subject(lead.Id, lead.WorkspaceId, email, phone, ContactKeys.DisplayName(lead.FullName)));
        }
        return subjects;
    }

    private async Task BackfillScoresAsync(LeadwireDbContext db, List<Pending> leads, DateTime now, CancellationToken cancellationToken)
    {
        var unscored = leads.Where(l => l.ScoredAt is null).ToList();
        if (unscored.Count == 0)
        {
            return;
        }
        var rules = new Dictionary<long, ScoringRules>();
        foreach (var workspaceId in unscored.Select(l => l.WorkspaceId).Distinct())
        {
            rules[workspaceId] = await rulesCache.GetAsync(db, workspaceId, cancellationToken);
        }
        var changes = await LeadRescorer.ComputeAsync(db, unscored.Select(l => l.Id).ToList(), w => rules[w], now, cancellationToken);
        await LeadRescorer.WriteAsync(db, changes, now, cancellationToken);
    }
}
