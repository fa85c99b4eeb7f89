using Leadwire.Data;
using Leadwire.Features.Accounts;
using Leadwire.Features.Live;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Leadwire.Features.Leads;

/// <summary>
/// PUT /api/v1/leads/{id}/assignee: manual assignment by an admin or owner, to any member of the workspace, or
/// none. Agents cannot change assignment at all, not even to hand their own lead back: the lead would leave their
/// view with nobody responsible for it, so giving it up goes through an admin who picks the next person.
/// </summary>
public static class LeadAssignment
{
    /// <summary><c>{"user_id": 7}</c> assigns; <c>{"user_id": null}</c> (or <c>{}</c>) unassigns.</summary>
    public sealed record Request(long? UserId);

    public static async Task<Results<Ok<LeadDto>, NotFound, ProblemHttpResult>> AssignAsync(
        long id, Request request, Caller caller, LeadwireDbContext db, WriteGate gate, TimeProvider time, LiveEvents live, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var to = request.UserId;
        string? toEmail = null;
        if (to is { } userId)
        {
            toEmail = await db.Memberships.AsNoTracking()
                .Where(m => m.WorkspaceId == caller.WorkspaceId && m.UserId == userId)
                .Join(db.Users, m => m.UserId, u => u.Id, (m, u) => u.Email)
                .SingleOrDefaultAsync(cancellationToken);
            if (toEmail is null)
            {
                return LeadProblems.Unprocessable(new Dictionary<string, string[]>
                {
                    ["user_id"] = [$"User {userId} is not a member of this workspace."],
                });
            }
        }

        var outcome = await LeadChanges.ApplyAsync(db, gate, time, live, caller, id, null, change =>
        {
            if (change.ReadOnlyProblem() is { } readOnly)
            {
                return Task.FromResult<ProblemHttpResult?>(readOnly);
            }
            var lead = change.Lead;
            var from = lead.AssigneeUserId;
            if (from == to)
            {
                change.Unchanged();
                return Task.FromResult<ProblemHttpResult?>(null);
            }
            lead.AssigneeUserId = to;
            lead.AssignedAt = to is null ? null : change.Now;
            change.Record(LeadEventTypes.Assigned, new { From = from, To = to, ToEmail = toEmail });
            return Task.FromResult<ProblemHttpResult?>(null);
        }, cancellationToken);

        if (outcome.NotFound)
        {
            return TypedResults.NotFound();
        }
        if (outcome.Problem is { } problem)
        {
            return problem;
        }
        return TypedResults.Ok((await new[] { outcome.Lead! }.ToDtosAsync(db, includeRaw: false, cancellationToken))[0]);
    }
}
