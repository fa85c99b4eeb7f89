using Leadwire.Data;
using Leadwire.Features.Accounts;
using Leadwire.Features.Live;
using Leadwire.Features.Scoring;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Leadwire.Features.Leads;

/// <summary>
/// POST /api/v1/leads/{id}/notes and /interactions (PRODUCT.md C5): what people wrote and did about a lead, as
/// timeline events with author and time. Logging a call does not move the status: the workflow is a decision the
/// person makes, not a side effect of paperwork.
/// </summary>
public static class LeadActivity
{
    public const int MaxTextLength = 10_000;
    public const int MaxOutcomeLength = 500;

    /// <summary>An interaction may be logged up to this far ahead of the server's clock (phones and laptops drift).</summary>
    private static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(5);

    public static readonly IReadOnlyList<string> InteractionKinds = ["call", "email", "meeting", "message", "other"];

    public sealed record NoteRequest(string? Text);

    public sealed record InteractionRequest(string? Kind, string? Outcome, string? Notes, DateTimeOffset? OccurredAt);

    public static async Task<Results<Created<LeadEventDto>, ValidationProblem, NotFound, ProblemHttpResult>> AddNoteAsync(
        long id, NoteRequest request, Caller caller, LeadwireDbContext db, WriteGate gate, TimeProvider time, LiveEvents live, LeadScoring scoring, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var errors = new Dictionary<string, string[]>();
        var text = Text(request.Text, "text", MaxTextLength, required: true, errors);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }
        return await RecordAsync(id, caller, db, gate, time, live, scoring, LeadEventTypes.Note, new { Text = text }, cancellationToken);
    }

    public static async Task<Results<Created<LeadEventDto>, ValidationProblem, NotFound, ProblemHttpResult>> AddInteractionAsync(
        long id, InteractionRequest request, Caller caller, LeadwireDbContext db, WriteGate gate, TimeProvider time, LiveEvents live, LeadScoring scoring, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var errors = new Dictionary<string, string[]>();
        var kind = request.Kind?.Trim().ToLowerInvariant();
        if (string.IsNullOrEmpty(kind) || !InteractionKinds.Contains(kind))
        {
            errors["kind"] = [$"Required: one of {string.Join(", ", InteractionKinds)}."];
        }
        var outcome = Text(request.Outcome, "outcome", MaxOutcomeLength, required: true, errors);
        var notes = Text(request.Notes, "notes", MaxTextLength, required: false, errors);
        var now = time.GetUtcNow();
        if (request.OccurredAt > now + ClockSkew)
        {
            errors["occurred_at"] = ["An interaction that has not happened yet cannot be logged."];
        }
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }
        // The event's time is when it was logged (the timeline is in the order things were recorded); when the
        // interaction itself took place is its own field, defaulting to now.
        var occurredAt = (request.OccurredAt ?? now).UtcDateTime;
        return await RecordAsync(id, caller, db, gate, time, live, scoring, LeadEventTypes.Interaction,
            new { Kind = kind, Outcome = outcome, Notes = notes, OccurredAt = occurredAt }, cancellationToken);
    }

    private static async Task<Results<Created<LeadEventDto>, ValidationProblem, NotFound, ProblemHttpResult>> RecordAsync(
        long id, Caller caller, LeadwireDbContext db, WriteGate gate, TimeProvider time, LiveEvents live, LeadScoring scoring, string type, object data, CancellationToken cancellationToken)
    {
        LeadEvent? recorded = null;
        var outcome = await LeadChanges.ApplyAsync(db, gate, time, live, caller, id, scoring, change =>
        {
            if (change.ReadOnlyProblem() is { } readOnly)
            {
                return Task.FromResult<ProblemHttpResult?>(readOnly);
            }
            recorded = change.Record(type, data);
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
        return TypedResults.Created($"/api/v1/leads/{id}", recorded!.ToDto());
    }

    private static string? Text(string? value, string field, int maxLength, bool required, Dictionary<string, string[]> errors)
    {
        var trimmed = value?.Trim();
        if (string.IsNullOrEmpty(trimmed))
        {
            if (required)
            {
                errors[field] = ["Required."];
            }
            return null;
        }
        if (trimmed.Length > maxLength)
        {
            errors[field] = [$"At most {maxLength} characters."];
        }
        return trimmed;
    }
}
