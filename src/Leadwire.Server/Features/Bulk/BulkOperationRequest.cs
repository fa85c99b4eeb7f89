using System.Text.Json;
using Leadwire.Data;
using Leadwire.Features.Accounts;
using Leadwire.Features.Export;
using Leadwire.Features.Leads;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Primitives;

namespace Leadwire.Features.Bulk;

/// <summary>
/// <c>POST /api/v1/bulk-operations</c>: an action on a list of lead ids or on every lead matching a filter. The filter
/// is the lead list's query parameters as a JSON object (<c>{"status": "new", "page_id": "…"}</c>); <c>{}</c> means
/// every lead.
/// </summary>
public sealed record BulkOperationRequest
{
    /// <summary>status, assign, tag, untag, delete, restore or export.</summary>
    public string? Action { get; init; }

    public IReadOnlyList<long>? LeadIds { get; init; }

    public Dictionary<string, JsonElement>? Filter { get; init; }

    public BulkOperationParameters? Params { get; init; }
}

/// <summary>The action's parameters: status (+ reason), user_id, tag, or format.</summary>
public sealed record BulkOperationParameters
{
    public string? Status { get; init; }
    public string? Reason { get; init; }
    public long? UserId { get; init; }
    public string? Tag { get; init; }
    public string? Format { get; init; }
}

/// <summary>Turns a request into a <see cref="BulkPlan"/>, or into the answer that refuses it (403, 422 with field names).</summary>
internal static class BulkRequestValidation
{
    /// <summary>The lead list's filter parameters (see <see cref="LeadFilter.Parse"/>); anything else is refused, not ignored.</summary>
    private static readonly HashSet<string> FilterKeys = new(StringComparer.OrdinalIgnoreCase)
    {
        "status", "page_id", "form_id", "campaign_id", "ad_id", "assignee", "tag", "score_min", "score_max", "created_since",
        "created_until", "is_test", "q", "deleted",
    };

    private static readonly Dictionary<string, BulkAction> Actions =
        Enum.GetValues<BulkAction>().ToDictionary(BulkPlan.Name, StringComparer.OrdinalIgnoreCase);

    public static async Task<(BulkPlan? Plan, ProblemHttpResult? Refusal)> ValidateAsync(
        BulkOperationRequest request, Caller caller, LeadwireDbContext db, BulkOptions options, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        if (request.Action is null || !Actions.TryGetValue(request.Action.Trim(), out var action))
        {
            errors["action"] = [$"Use one of {string.Join(", ", Actions.Keys)}."];
            return (null, Unprocessable(errors));
        }

        // Role first: an agent learns they may not, rather than what else is wrong with the request.
        if (caller.SeesOnlyOwnLeads && action is BulkAction.Delete or BulkAction.Restore)
        {
            return (null, Forbidden("Agents cannot bulk delete or restore leads; ask an admin or owner of the workspace."));
        }
        if (caller.SeesOnlyOwnLeads && action == BulkAction.Export)
        {
            return (null, Forbidden("Agents cannot export leads; ask an admin or owner of the workspace."));
        }

        IReadOnlyList<long>? ids = null;
        LeadFilter? filter = null;
        if ((request.LeadIds is null) == (request.Filter is null))
        {
            errors["lead_ids"] = ["Give either lead_ids or filter, not both and not neither."];
        }
        else if (request.LeadIds is { } requested)
        {
            ids = [.. requested.Distinct().Order()];
            if (ids.Count == 0)
            {
                errors["lead_ids"] = ["List at least one lead id."];
            }
            else if (ids.Count > options.MaxLeadIds)
            {
                errors["lead_ids"] = [$"At most {options.MaxLeadIds:N0} ids per request; use a filter for more."];
            }
            else if (ids[0] <= 0)
            {
                errors["lead_ids"] = ["Lead ids are positive whole numbers."];
            }
        }
        else
        {
            filter = ParseFilter(request.Filter!, caller, errors);
        }

        var parameters = request.Params ?? new BulkOperationParameters();
        LeadStatus? status = null;
        string? tag = null;
        string? userEmail = null;
        ExportFormat? format = null;
        switch (action)
        {
            case BulkAction.Status:
                if (!LeadWorkflow.TryParse(parameters.Status, out var target))
                {
                    errors["params.status"] = [$"Use one of {string.Join(", ", LeadWorkflow.Names)}."];
                }
                else if (BulkStatusRules.SourcesOf(target, caller.Role).Count == 0)
                {
                    errors["params.status"] = [$"No lead can move to {LeadWorkflow.Name(target)}."];
                }
                else
                {
                    status = target;
                    if (string.IsNullOrWhiteSpace(parameters.Reason) && LeadWorkflow.NeedsReason(target))
                    {
                        errors["params.reason"] = [$"Say why the leads are {LeadWorkflow.Name(target)}: the reason is shown on each of them."];
                    }
                }
                if (parameters.Reason is { Length: > LeadStatusChange.MaxReasonLength })
                {
                    errors["params.reason"] = [$"At most {LeadStatusChange.MaxReasonLength} characters."];
                }
                break;
            case BulkAction.Assign:
                if (parameters.UserId is not { } userId)
                {
                    errors["params.user_id"] = ["Give the id of the user to assign the leads to."];
                }
                else
                {
                    userEmail = await db.Memberships
                        .Where(m => m.WorkspaceId == caller.WorkspaceId && m.UserId == userId)
                        .Join(db.Users, m => m.UserId, u => u.Id, (m, u) => u.Email)
                        .SingleOrDefaultAsync(cancellationToken);
                    if (userEmail is null)
                    {
                        errors["params.user_id"] = [$"User {userId} is not a member of this workspace."];
                    }
                }
                break;
            case BulkAction.Tag or BulkAction.Untag:
                tag = TagName.Normalise(parameters.Tag);
                if (tag is null)
                {
                    errors["params.tag"] = [TagName.Rule];
                }
                break;
            case BulkAction.Export:
                if (!ExportFormats.TryParse(parameters.Format, out var parsed))
                {
                    errors["params.format"] = ["Use csv, jsonl or xlsx."];
                }
                else
                {
                    format = parsed;
                }
                break;
        }
        if (errors.Count > 0)
        {
            return (null, Unprocessable(errors));
        }

        return (new BulkPlan
        {
            Action = action,
            LeadIds = ids,
            Filter = filter,
            Role = caller.Role,
            Status = status,
            Reason = status is null ? null : string.IsNullOrWhiteSpace(parameters.Reason) ? null : parameters.Reason.Trim(),
            UserId = action == BulkAction.Assign ? parameters.UserId : null,
            UserEmail = userEmail,
            Tag = tag,
            Format = format,
            // Filled in by the caller of ValidateAsync, inside nothing slower than a MAX(id).
            ThroughLeadId = 0,
        }, null);
    }

    /// <summary>The filter object as the list's query string, parsed by the list's own rules; errors as filter.&lt;name&gt;.</summary>
    private static LeadFilter? ParseFilter(Dictionary<string, JsonElement> filter, Caller caller, Dictionary<string, string[]> errors)
    {
        var query = new Dictionary<string, StringValues>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, value) in filter)
        {
            if (!FilterKeys.Contains(key))
            {
                // A misspelt filter must not widen a bulk delete to every lead.
                errors[$"filter.{key}"] = [$"Unknown filter. Use {string.Join(", ", FilterKeys)}."];
                continue;
            }
            if (Text(value) is { } text)
            {
                query[key] = text;
            }
            else if (value.ValueKind == JsonValueKind.Array && value.EnumerateArray().Select(Text).ToList() is var items && items.All(i => i is not null))
            {
                query[key] = new StringValues([.. items]);
            }
            else if (value.ValueKind != JsonValueKind.Null)
            {
                errors[$"filter.{key}"] = ["Use a string, number, true/false, or (for status) a list of strings."];
            }
        }

        var parseErrors = new Dictionary<string, string[]>();
        var parsed = LeadFilter.Parse(new QueryCollection(query), caller, parseErrors);
        foreach (var (key, messages) in parseErrors)
        {
            errors[$"filter.{key}"] = messages;
        }
        return parsed;
    }

    private static string? Text(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString(),
        JsonValueKind.Number => value.GetRawText(),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        _ => null,
    };

    /// <summary>422: the body is well-formed JSON but asks for something invalid; <c>errors</c> names the fields.</summary>
    private static ProblemHttpResult Unprocessable(Dictionary<string, string[]> errors) =>
        TypedResults.Problem(new HttpValidationProblemDetails(errors)
        {
            Title = "The bulk operation is not valid",
            Status = StatusCodes.Status422UnprocessableEntity,
        });

    private static ProblemHttpResult Forbidden(string detail) =>
        TypedResults.Problem(title: "Forbidden", detail: detail, statusCode: StatusCodes.Status403Forbidden);
}
