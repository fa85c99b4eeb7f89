using System.Globalization;
using Leadwire.Data;
using Leadwire.Features.Accounts;
using Leadwire.Infrastructure;

namespace Leadwire.Features.Leads;

/// <summary>
/// The lead CRM API (PRODUCT.md C1–C6, C10): list and detail, status workflow, assignment, notes and interactions,
/// tags, soft delete and restore. Agents reach only the leads assigned to them (others are 404).
/// </summary>
public static class LeadsApi
{
    public static IEndpointRouteBuilder MapLeadsApi(this IEndpointRouteBuilder app)
    {
        var leads = app.MapGroup("/api/v1/leads").RequireRole(WorkspaceRole.Agent).WithTags("Leads");
        leads.MapGet("/", LeadList.ListAsync)
            .WithLeadListParameters(paging: true)
            .WithSummary("List leads: filters, search by name/email/phone, sort, keyset pagination");
        leads.MapGet("/{id:long}", LeadDetail.GetAsync)
            .WithSummary("One lead with answers, attribution, score reasons, tags, contact and timeline");
        leads.MapPost("/{id:long}/status", LeadStatusChange.ChangeAsync)
            .WithSummary("Move the lead in the status workflow (409 lists the allowed moves)");
        leads.MapPut("/{id:long}/assignee", LeadAssignment.AssignAsync)
            .RequireRole(WorkspaceRole.Admin)
            .WithSummary("Assign the lead to a workspace member, or unassign it");
        leads.MapPost("/{id:long}/notes", LeadActivity.AddNoteAsync)
            .WithSummary("Add a note to the lead's timeline");
        leads.MapPost("/{id:long}/interactions", LeadActivity.AddInteractionAsync)
            .WithSummary("Log a call, email, meeting, message or other interaction with its outcome");
        leads.MapPut("/{id:long}/tags", LeadTagging.ReplaceAsync)
            .WithSummary("Replace the lead's tags");
        leads.MapPost("/{id:long}/tags", LeadTagging.AddAsync)
            .WithSummary("Add one tag to the lead");
        leads.MapDelete("/{id:long}/tags/{tag}", LeadTagging.RemoveAsync)
            .WithSummary("Remove one tag from the lead");
        leads.MapDelete("/{id:long}", LeadDeletion.DeleteAsync)
            .RequireRole(WorkspaceRole.Admin)
            .WithSummary("Soft-delete the lead (restorable)");
        leads.MapPost("/{id:long}/restore", LeadDeletion.RestoreAsync)
            .RequireRole(WorkspaceRole.Admin)
            .WithSummary("Restore a soft-deleted lead");

        app.MapGroup("/api/v1/tags").RequireRole(WorkspaceRole.Agent).WithTags("Leads")
            .MapGet("/", LeadTagging.ListAsync)
            .WithSummary("The workspace's tags with how many live leads carry each");
        return app;
    }

    internal static int ParseLimit(string? limit, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrEmpty(limit))
        {
            return Cursor.DefaultLimit;
        }
        if (int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value is >= 1 and <= Cursor.MaxLimit)
        {
            return value;
        }
        errors["limit"] = [$"limit must be a whole number from 1 to {Cursor.MaxLimit}."];
        return Cursor.DefaultLimit;
    }

    internal static DateTime? ParseTime(string? value, string name, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }
        if (DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
        {
            return parsed.UtcDateTime;
        }
        errors[name] = ["Use an ISO-8601 date and time, e.g. 2026-01-31T00:00:00Z."];
        return null;
    }
}
