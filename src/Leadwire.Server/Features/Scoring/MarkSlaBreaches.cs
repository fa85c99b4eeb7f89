using System.Text.Json;
using Leadwire.Data;
using Leadwire.Features.Jobs;
using Leadwire.Features.Leads;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Leadwire.Features.Scoring;

/// <summary>
/// First-contact SLA (PRODUCT.md D3): a lead still new past its workspace's <c>first_contact_sla_minutes</c> gets
/// <c>sla_breached_at</c> once, and an <c>sla_breached</c> event on its timeline — the event notifications act on.
/// Set-based, a few hundred leads per transaction. Test leads are never breached; leads older than
/// <see cref="LeadIntakeOptions.SlaLookback"/> are not newly marked (a backlog found on upgrade is not news).
/// </summary>
public sealed class MarkSlaBreaches(DatabaseDialect dialect, IOptionsMonitor<LeadIntakeOptions> options) : IJobHandler
{
    public const string Kind = "leads.sla";

    /// <summary>How the SLA watch appears on a lead's timeline.</summary>
    public const string Actor = "sla";

    private const int BatchSize = 500;

    public sealed record Payload;

    /// <summary>The details of an <c>sla_breached</c> event.</summary>
    public sealed record BreachData(int SlaMinutes, DateTime CreatedTime, int WaitedMinutes);

    string IJobHandler.Kind => Kind;

    public async Task HandleAsync(JobContext context, CancellationToken cancellationToken)
    {
        var db = context.Db;
        var workspaces = await db.Workspaces.AsNoTracking().OrderBy(w => w.Id)
            .Select(w => new { w.Id, w.FirstContactSlaMinutes }).ToListAsync(cancellationToken);
        foreach (var workspace in workspaces)
        {
            int marked;
            do
            {
                marked = await MarkBatchAsync(context, workspace.Id, workspace.FirstContactSlaMinutes, cancellationToken);
            }
            while (marked == BatchSize);
        }
    }

    private async Task<int> MarkBatchAsync(JobContext context, long workspaceId, int slaMinutes, CancellationToken cancellationToken)
    {
        var db = context.Db;
        var marked = 0;
        await db.InWriteTransactionAsync(context.Gate, async () =>
        {
            await ExclusiveWork.LockAsync(db, dialect, ExclusiveWork.SlaBreaches, cancellationToken);
            var now = TruncateToMilliseconds(context.Time.GetUtcNow().UtcDateTime);
            var cutoff = now.AddMinutes(-slaMinutes);
            var since = now - options.CurrentValue.SlaLookback;
            var due = await db.Leads.AsNoTracking()
                .Where(l => l.WorkspaceId == workspaceId && l.Status == LeadStatus.New && l.CreatedTime < cutoff && l.CreatedTime >= since
                    && l.SlaBreachedAt == null && !l.IsTest && l.DeletedAt == null && l.ErasedAt == null)
                .OrderBy(l => l.CreatedTime).ThenBy(l => l.Id)
                .Select(l => l.Id).Take(BatchSize)
                .ToListAsync(cancellationToken);
            if (due.Count == 0)
            {
                return;
            }

            // Conditional, so a lead contacted a moment ago (by a request this lock does not serialise) is left alone;
            // then the events go only to the leads this statement actually marked.
            await db.Leads.Where(l => due.Contains(l.Id) && l.SlaBreachedAt == null && l.Status == LeadStatus.New)
                .ExecuteUpdateAsync(s => s.SetProperty(l => l.SlaBreachedAt, now), cancellationToken);
            var breached = await db.Leads.AsNoTracking().Where(l => due.Contains(l.Id) && l.SlaBreachedAt == now)
                .Select(l => new { l.Id, l.CreatedTime }).ToListAsync(cancellationToken);
            foreach (var lead in breached)
            {
                db.LeadEvents.Add(new LeadEvent
                {
                    LeadId = lead.Id,
                    WorkspaceId = workspaceId,
                    Type = LeadEventTypes.SlaBreached,
                    Actor = Actor,
                    At = now,
                    DataJson = JsonSerializer.Serialize(
                        new BreachData(slaMinutes, lead.CreatedTime, (int)(now - lead.CreatedTime).TotalMinutes), ScoringJson.Options),
                });
            }
            // A full batch means there may be more, even if a few of it were contacted meanwhile.
            marked = due.Count;
        }, cancellationToken);
        return marked;
    }

    /// <summary>PostgreSQL keeps microseconds; a value that survives the round trip can be compared for equality.</summary>
    private static DateTime TruncateToMilliseconds(DateTime time) =>
        new(time.Ticks - (time.Ticks % TimeSpan.TicksPerMillisecond), DateTimeKind.Utc);
}
