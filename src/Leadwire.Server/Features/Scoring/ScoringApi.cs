using System.Reflection;
using System.Text.Json;
using Leadwire.Data;
using Leadwire.Features.Accounts;
using Leadwire.Features.Audit;
using Leadwire.Features.Jobs;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Leadwire.Features.Scoring;

/// <summary>A workspace's scoring rules (PRODUCT.md D1): read by anyone in it, changed by admins.</summary>
public static class ScoringApi
{
    /// <summary>The rules' JSON names and what each must be, for unknown-member and wrong-type errors.</summary>
    private static readonly Dictionary<string, string> Fields = typeof(ScoringRules)
        .GetProperties(BindingFlags.Public | BindingFlags.Instance)
        .ToDictionary(
            p => JsonNamingPolicy.SnakeCaseLower.ConvertName(p.Name),
            p => p.PropertyType == typeof(int) ? "Must be a whole number."
                : p.PropertyType == typeof(double) ? "Must be a number."
                : "Must be a list of strings.",
            StringComparer.Ordinal);

    public static IEndpointRouteBuilder MapScoringApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/scoring").WithTags("Scoring");
        group.MapGet("/rules", GetRulesAsync).RequireRole(WorkspaceRole.Agent)
            .WithSummary("The workspace's lead-scoring rules (the defaults until changed)");
        group.MapPut("/rules", PutRulesAsync).RequireRole(WorkspaceRole.Admin)
            .Accepts<ScoringRules>("application/json")
            .Produces<ScoringRules>()
            .ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity)
            .WithSummary("Replace the scoring rules; every lead of the workspace is rescored in the background");
        group.MapScoreDistribution();
        return app;
    }

    internal static async Task<Ok<ScoringRules>> GetRulesAsync(Caller caller, LeadwireDbContext db, ScoringRulesCache cache, CancellationToken cancellationToken)
    {
        var json = await db.Workspaces.AsNoTracking().Where(w => w.Id == caller.WorkspaceId).Select(w => w.ScoringRulesJson).SingleOrDefaultAsync(cancellationToken);
        return TypedResults.Ok(cache.Parse(json, caller.WorkspaceId));
    }

    internal static async Task<IResult> PutRulesAsync(
        [FromBody] JsonElement body, Caller caller, LeadwireDbContext db, WriteGate gate, JobEnqueuer queue, JobSignal signal,
        ScoringRulesCache cache, AuditLog audit, TimeProvider time, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var rules = Read(body, errors);
        if (rules is not null)
        {
            foreach (var error in rules.Validate())
            {
                errors[error.Field] = errors.TryGetValue(error.Field, out var earlier) ? [.. earlier, error.Message] : [error.Message];
            }
        }
        if (rules is null || errors.Count > 0)
        {
            return FieldErrors.Unprocessable(errors);
        }

        var workspace = await db.Workspaces.SingleAsync(w => w.Id == caller.WorkspaceId, cancellationToken);
        workspace.ScoringRulesJson = ScoringJson.SerializeRules(rules);
        workspace.UpdatedAt = time.GetUtcNow().UtcDateTime;
        audit.Record(db, caller, "scoring.rules_changed", "workspace", workspace.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), rules);
        queue.Enqueue(db, RescoreWorkspaceLeads.Kind, new RescoreWorkspaceLeads.Payload(workspace.Id, 0));
        using (await gate.EnterAsync(cancellationToken))
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        cache.Forget(workspace.Id);
        signal.Wake();
        return TypedResults.Ok(rules);
    }

    /// <summary>
    /// The rules in <paramref name="body"/>, or null with <paramref name="errors"/> naming the fields. Unknown members
    /// are refused rather than ignored: a misspelt weight would otherwise silently keep its default.
    /// </summary>
    private static ScoringRules? Read(JsonElement body, Dictionary<string, string[]> errors)
    {
        if (body.ValueKind != JsonValueKind.Object)
        {
            errors["body"] = ["Send the rules as a JSON object."];
            return null;
        }
        foreach (var property in body.EnumerateObject())
        {
            if (!Fields.ContainsKey(property.Name))
            {
                errors[property.Name] = [$"Unknown setting; the settings are {string.Join(", ", Fields.Keys.Order(StringComparer.Ordinal))}."];
            }
        }
        if (errors.Count > 0)
        {
            return null;
        }
        try
        {
            return body.Deserialize<ScoringRules>(ScoringJson.Options);
        }
        catch (JsonException e)
        {
            var field = FieldOf(e.Path);
            errors[field] = [Fields.TryGetValue(field, out var expected) ? expected : "Has the wrong type."];
            return null;
        }
    }

    /// <summary>"$.interest_keywords[2]" → "interest_keywords".</summary>
    private static string FieldOf(string? path)
    {
        var name = (path ?? "$").TrimStart('$', '.');
        var end = name.IndexOfAny(['.', '[']);
        name = end >= 0 ? name[..end] : name;
        return name.Length == 0 ? "body" : name;
    }
}
