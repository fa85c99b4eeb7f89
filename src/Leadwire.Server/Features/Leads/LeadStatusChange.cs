using Leadwire.Data;
using Leadwire.Features.Accounts;
using Leadwire.Features.Live;
using Leadwire.Features.Scoring;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Leadwire.Features.Leads;

/// <summary>POST /api/v1/leads/{id}/status: one move in <see cref="LeadWorkflow"/>, with a timeline event.</summary>
public static class LeadStatusChange
{
    public const int MaxReasonLength = 1024;

    public sealed record Request(string? Status, string? Reason);

    public static async Task<Results<Ok<LeadDto>, ValidationProblem, NotFound, ProblemHttpResult>> ChangeAsync(
        long id, Request request, Caller caller, LeadwireDbContext db, WriteGate gate, TimeProvider time, LiveEvents live, LeadScoring scoring, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var errors = new Dictionary<string, string[]>();
        var to = LeadStatus.New;
        if (string.IsNullOrWhiteSpace(request.Status))
        {
            errors["status"] = [$"Required: one of {string.Join(", ", LeadWorkflow.Names)}."];
        }
        else if (!LeadWorkflow.TryParse(request.Status, out to))
        {
            errors["status"] = [$"Unknown status '{request.Status}'. Use one of {string.Join(", ", LeadWorkflow.Names)}."];
        }
        var reason = string.IsNullOrWhiteSpace(request.Reason) ? null : request.Reason.Trim();
        if (reason?.Length > MaxReasonLength)
        {
            errors["reason"] = [$"At most {MaxReasonLength} characters."];
        }
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var outcome = await LeadChanges.ApplyAsync(db, gate, time, live, caller, id, scoring, change =>
        {
            if (change.ReadOnlyProblem() is { } readOnly)
            {
                return Task.FromResult<ProblemHttpResult?>(readOnly);
            }
            var lead = change.Lead;
            var from = lead.Status;
            if (LeadWorkflow.Refusal(from, to, caller.Role) is { } refusal)
            {
                return Task.FromResult<ProblemHttpResult?>(LeadProblems.Conflict("Status change not allowed", refusal, new Dictionary<string, object?>
                {
                    ["from"] = LeadWorkflow.Name(from),
                    ["allowed"] = LeadWorkflow.AllowedFrom(from, caller.Role).Select(LeadWorkflow.Name).ToArray(),
                }));
            }
            if (reason is null && LeadWorkflow.NeedsReason(to))
            {
                return Task.FromResult<ProblemHttpResult?>(LeadProblems.Unprocessable(new Dictionary<string, string[]>
                {
                    ["reason"] = [$"Say why the lead is {LeadWorkflow.Name(to)}: the reason is shown to everyone who opens it later."],
                }));
            }

            LeadWorkflow.Move(lead, to, reason, change.Now);
            change.Record(LeadEventTypes.StatusChanged, new { From = LeadWorkflow.Name(from), To = LeadWorkflow.Name(to), Reason = reason });
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
