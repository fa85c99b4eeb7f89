using System.Text.Json;
using System.Text.Json.Serialization;
using Leadwire.Data;
using Microsoft.EntityFrameworkCore;

namespace Leadwire.Features.Leads;

/// <summary>A lead in the REST API (snake_case on the wire).</summary>
public sealed record LeadDto(
    long Id,
    string MetaLeadId,
    string PageId,
    string? FormId,
    string? AdId,
    string? AdName,
    string? AdsetId,
    string? AdsetName,
    string? CampaignId,
    string? CampaignName,
    DateTime CreatedTime,
    string? FullName,
    string? FirstName,
    string? LastName,
    string? Email,
    string? Phone,
    string? StreetAddress,
    string? City,
    string? State,
    string? Zip,
    string? Country,
    string? CompanyName,
    string? JobTitle,
    IReadOnlyDictionary<string, string> Answers,
    JsonElement? CustomDisclaimerResponses,
    bool IsTest,
    bool IsOrganic,
    string? Platform,
    string? PartnerName,
    string Source,
    DateTime StoredAt,
    JsonElement? Raw,
    string Status,
    string? StatusReason,
    DateTime? StatusChangedAt,
    DateTime? ContactedAt,
    DateTime? QualifiedAt,
    DateTime? ConvertedAt,
    LeadAssigneeDto? Assignee,
    DateTime? AssignedAt,
    int Score,
    IReadOnlyList<string> Tags,
    long? ContactId,
    DateTime? UpdatedAt,
    DateTime? SlaBreachedAt,
    DateTime? DeletedAt,
    DateTime? ErasedAt)
{
    // Detail only (GET /api/v1/leads/{id}); absent from list items rather than null, so a list stays lean.

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public JsonElement? ScoreReasons { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<long>? SiblingLeadIds { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<LeadEventDto>? Timeline { get; init; }
}

/// <summary>Who works the lead.</summary>
public sealed record LeadAssigneeDto(long UserId, string? Email);

/// <summary>One line of a lead's timeline; <c>data</c> depends on the type (see docs/api.md).</summary>
public sealed record LeadEventDto(long Id, string Type, string Actor, long? ActorUserId, DateTime At, JsonElement? Data);

/// <summary>A lead's tags, as the tag endpoints answer.</summary>
public sealed record LeadTagsDto(IReadOnlyList<string> Tags);

public static class LeadDtoMapping
{
    private static readonly string[] NoTags = [];

    /// <summary>
    /// The lead as the API shows it. Without <paramref name="tags"/> and <paramref name="assigneeEmail"/> (see
    /// <see cref="ToDtosAsync"/>, which loads them for a page in one query each) the tags are empty and the
    /// assignee has no email.
    /// </summary>
    public static LeadDto ToDto(this Lead lead, bool includeRaw, IReadOnlyList<string>? tags = null, string? assigneeEmail = null)
    {
        ArgumentNullException.ThrowIfNull(lead);
        return new(
            lead.Id,
            lead.MetaLeadId,
            lead.MetaPageId,
            lead.MetaFormId,
            lead.AdId,
            lead.AdName,
            lead.AdsetId,
            lead.AdsetName,
            lead.CampaignId,
            lead.CampaignName,
            lead.CreatedTime,
            lead.FullName,
            lead.FirstName,
            lead.LastName,
            lead.Email,
            lead.Phone,
            lead.StreetAddress,
            lead.City,
            lead.State,
            lead.Zip,
            lead.Country,
            lead.CompanyName,
            lead.JobTitle,
            JsonSerializer.Deserialize<Dictionary<string, string>>(lead.AnswersJson) ?? [],
            Json(lead.DisclaimerResponsesJson),
            lead.IsTest,
            lead.IsOrganic,
            lead.Platform,
            lead.PartnerName,
            lead.Source.ToString().ToLowerInvariant(),
            lead.StoredAt,
            includeRaw ? Json(lead.RawJson) : null,
            LeadWorkflow.Name(lead.Status),
            lead.StatusReason,
            lead.StatusChangedAt,
            lead.ContactedAt,
            lead.QualifiedAt,
            lead.ConvertedAt,
            lead.AssigneeUserId is { } assignee ? new LeadAssigneeDto(assignee, assigneeEmail) : null,
            lead.AssignedAt,
            lead.Score,
            tags ?? NoTags,
            lead.ContactId,
            lead.UpdatedAt,
            lead.SlaBreachedAt,
            lead.DeletedAt,
            lead.ErasedAt);
    }

    /// <summary>Leads with their tags and assignees, loaded for the whole page in one query each (no query per lead).</summary>
    public static async Task<List<LeadDto>> ToDtosAsync(this IReadOnlyList<Lead> leads, LeadwireDbContext db, bool includeRaw, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(leads);
        ArgumentNullException.ThrowIfNull(db);
        if (leads.Count == 0)
        {
            return [];
        }

        var ids = leads.Select(l => l.Id).ToList();
        var tags = (await db.LeadTags.AsNoTracking().Where(t => ids.Contains(t.LeadId)).Select(t => new { t.LeadId, t.Tag }).ToListAsync(cancellationToken))
            .GroupBy(t => t.LeadId)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<string>)g.Select(t => t.Tag).Order(StringComparer.Ordinal).ToList());

        var assigneeIds = leads.Where(l => l.AssigneeUserId is not null).Select(l => l.AssigneeUserId!.Value).Distinct().ToList();
        var emails = assigneeIds.Count == 0
            ? []
            : await db.Users.AsNoTracking().Where(u => assigneeIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.Email, cancellationToken);

        return leads.Select(l => l.ToDto(
            includeRaw,
            tags.GetValueOrDefault(l.Id),
            l.AssigneeUserId is { } a ? emails.GetValueOrDefault(a) : null)).ToList();
    }

    public static LeadEventDto ToDto(this LeadEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return new(e.Id, e.Type, e.Actor, e.ActorUserId, e.At, Json(e.DataJson));
    }

    internal static JsonElement? Json(string? json)
    {
        if (string.IsNullOrEmpty(json))
        {
            return null;
        }
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }
}
