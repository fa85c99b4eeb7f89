using System.Text.Json;
using Leadwire.Data;
using Leadwire.Features.Accounts;
using Leadwire.Features.Live;
using Leadwire.Features.Scoring;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Leadwire.Features.Leads;

/// <summary>
/// One person's change to one lead, in progress: the lead (tracked, read after it was locked), the time, and the
/// timeline events the change writes. Its handler either lets it commit, keeps it <see cref="Unchanged"/> (nothing
/// to do, still a success) or returns a problem (rolled back).
/// </summary>
public sealed class LeadChange(LeadwireDbContext db, Lead lead, Caller caller, DateTime now)
{
    private static readonly JsonSerializerOptions DataJson = new(JsonSerializerDefaults.Web) { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public LeadwireDbContext Db => db;
    public Lead Lead => lead;
    public Caller Caller => caller;
    public DateTime Now => now;

    internal bool IsUnchanged { get; private set; }

    /// <summary>Nothing to write (the lead is already as asked): the change succeeds without touching the lead.</summary>
    public void Unchanged() => IsUnchanged = true;

    /// <summary>Adds a timeline event by the caller, now, to this change's unit of work.</summary>
    public LeadEvent Record(string type, object? data)
    {
        var e = new LeadEvent
        {
            LeadId = lead.Id,
            WorkspaceId = lead.WorkspaceId,
            Type = type,
            ActorUserId = caller.UserId,
            Actor = caller.Label,
            At = now,
            DataJson = data is null ? null : JsonSerializer.Serialize(data, DataJson),
        };
        db.LeadEvents.Add(e);
        return e;
    }

    /// <summary>
    /// A soft-deleted lead is out of the workflow until restored, and an erased one for good (a note could bring
    /// back personal data that was removed on request). Null when the lead can be worked.
    /// </summary>
    public ProblemHttpResult? ReadOnlyProblem() =>
        lead.ErasedAt is not null
            ? LeadProblems.Conflict("Lead erased", $"Lead {lead.Id} was erased: its personal data is gone and it can no longer be changed.")
            : lead.DeletedAt is not null
                ? LeadProblems.Conflict("Lead deleted", $"Lead {lead.Id} is deleted. Restore it (POST /api/v1/leads/{lead.Id}/restore) before changing it.")
                : null;
}

/// <summary>How a change ended: the lead was not found (for this caller), a problem, or done.</summary>
public sealed record LeadChangeOutcome(Lead? Lead, ProblemHttpResult? Problem)
{
    public bool NotFound => Lead is null && Problem is null;
}

public static class LeadChanges
{
    /// <summary>
    /// Runs <paramref name="change"/> on the lead in one transaction holding the write gate. The lead's row is
    /// updated (to itself) before it is read: on PostgreSQL that takes its row lock, so two people changing one lead
    /// at once queue, and the second one checks its move against the first one's result instead of overwriting it.
    /// <paramref name="change"/> returns a problem to refuse (everything is rolled back). With
    /// <paramref name="scoring"/>, the lead is rescored in the same commit (work on a lead is part of its score).
    /// After the commit the change goes to the live feed (<c>lead.assigned</c> when the assignee changed).
    /// </summary>
    public static async Task<LeadChangeOutcome> ApplyAsync(
        LeadwireDbContext db,
        WriteGate gate,
        TimeProvider time,
        LiveEvents live,
        Caller caller,
        long leadId,
        LeadScoring? scoring,
        Func<LeadChange, Task<ProblemHttpResult?>> change,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(gate);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(live);
        ArgumentNullException.ThrowIfNull(change);

        using var permit = await gate.EnterAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        // PostgreSQL keeps microseconds: the times this change answers with are the times a later read returns.
        var exact = time.GetUtcNow().UtcDateTime;
        var now = exact.AddTicks(-(exact.Ticks % TimeSpan.TicksPerMicrosecond));
        var locked = await db.Leads.OpenableBy(caller).Where(l => l.Id == leadId)
            .ExecuteUpdateAsync(s => s.SetProperty(l => l.UpdatedAt, l => l.UpdatedAt), cancellationToken);
        if (locked == 0)
        {
            return new LeadChangeOutcome(null, null);
        }

        var lead = await db.Leads.SingleAsync(l => l.Id == leadId, cancellationToken);
        var assigneeBefore = lead.AssigneeUserId;
        var work = new LeadChange(db, lead, caller, now);
        var problem = await change(work);
        if (problem is not null || work.IsUnchanged)
        {
            // Disposing the transaction rolls back; forget whatever the handler had added.
            db.ChangeTracker.Clear();
            return new LeadChangeOutcome(problem is null ? lead : null, problem);
        }

        lead.UpdatedAt = now;
        if (scoring is not null)
        {
            await scoring.RescoreAsync(db, lead, now, cancellationToken);
        }
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        var type = lead.AssigneeUserId != assigneeBefore ? LiveEventTypes.LeadAssigned : LiveEventTypes.LeadUpdated;
        live.Publish(new LiveEvent(type, lead.WorkspaceId, lead.Id, lead.AssigneeUserId, now));
        return new LeadChangeOutcome(lead, null);
    }
}

/// <summary>Which leads a caller may open at all.</summary>
public static class LeadAccess
{
    /// <summary>
    /// <see cref="WorkspaceScope.VisibleTo(IQueryable{Lead}, Caller)"/>, and for agents without soft-deleted leads:
    /// agents can neither delete nor restore, so a deleted lead is simply gone for them.
    /// </summary>
    public static IQueryable<Lead> OpenableBy(this IQueryable<Lead> leads, Caller caller)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var visible = leads.VisibleTo(caller);
        return caller.SeesOnlyOwnLeads ? visible.Where(l => l.DeletedAt == null) : visible;
    }
}

/// <summary>The ProblemDetails the lead endpoints answer with.</summary>
public static class LeadProblems
{
    public static ProblemHttpResult Conflict(string title, string detail, IDictionary<string, object?>? extensions = null) =>
        TypedResults.Problem(title: title, detail: detail, statusCode: StatusCodes.Status409Conflict, extensions: extensions);

    /// <summary>
    /// A well-formed request the rules refuse (a disqualification without a reason, an assignee who is not a
    /// member): 422 with field errors, where malformed input is a 400.
    /// </summary>
    public static ProblemHttpResult Unprocessable(Dictionary<string, string[]> errors) =>
        TypedResults.Problem(new HttpValidationProblemDetails(errors)
        {
            Title = "The request breaks a rule",
            Status = StatusCodes.Status422UnprocessableEntity,
        });
}
