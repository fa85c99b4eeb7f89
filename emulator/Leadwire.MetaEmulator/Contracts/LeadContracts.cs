using System.Text.Json.Serialization;
using Leadwire.MetaEmulator.Json;

namespace Leadwire.MetaEmulator;

public sealed record FieldDataItem
{
    public required string Name { get; init; }

    public required IReadOnlyList<string> Values { get; init; }
}

public sealed record DisclaimerResponse
{
    public required string CheckboxKey { get; init; }

    /// <summary>"1" when checked, "" when not (Meta sends a string).</summary>
    public required string IsChecked { get; init; }
}

public sealed record PostSubmissionCheckResult
{
    public string? ApiCallResult { get; init; }

    public string? ApiErrorMessage { get; init; }

    public string? ShownThankYouPage { get; init; }
}

public sealed record CreateLeadRequest
{
    public required string FormId { get; init; }

    public string? Id { get; init; }

    /// <summary>ISO-8601 or unix seconds; defaults to now.</summary>
    [JsonConverter(typeof(FlexibleTimeConverter))]
    public DateTimeOffset? CreatedTime { get; init; }

    /// <summary>When absent, realistic answers are generated for every form question (deterministic per lead id).</summary>
    public IReadOnlyList<FieldDataItem>? FieldData { get; init; }

    public string? AdId { get; init; }

    public string? AdName { get; init; }

    public string? AdsetId { get; init; }

    public string? AdsetName { get; init; }

    public string? CampaignId { get; init; }

    public string? CampaignName { get; init; }

    public bool? IsOrganic { get; init; }

    /// <summary>"fb" (default) or "ig".</summary>
    public string? Platform { get; init; }

    public string? PartnerName { get; init; }

    public string? RetailerItemId { get; init; }

    public IReadOnlyList<DisclaimerResponse>? CustomDisclaimerResponses { get; init; }

    public PostSubmissionCheckResult? PostSubmissionCheckResult { get; init; }

    /// <summary>Queue the leadgen webhook (default true).</summary>
    public bool? Deliver { get; init; }
}

public sealed record LeadView
{
    public required string Id { get; init; }

    public required string FormId { get; init; }

    public required string PageId { get; init; }

    /// <summary>Meta format, e.g. 2026-01-01T08:49:14+0000.</summary>
    public required string CreatedTime { get; init; }

    public required long CreatedTimeUnix { get; init; }

    public required IReadOnlyList<FieldDataItem> FieldData { get; init; }

    public string? AdId { get; init; }

    public string? AdName { get; init; }

    public string? AdsetId { get; init; }

    public string? AdsetName { get; init; }

    public string? CampaignId { get; init; }

    public string? CampaignName { get; init; }

    public required bool IsOrganic { get; init; }

    public required string Platform { get; init; }

    public string? PartnerName { get; init; }

    public string? RetailerItemId { get; init; }

    public IReadOnlyList<DisclaimerResponse>? CustomDisclaimerResponses { get; init; }

    public PostSubmissionCheckResult? PostSubmissionCheckResult { get; init; }

    public required bool IsTest { get; init; }
}

public sealed record BulkLeadsRequest
{
    public required string FormId { get; init; }

    /// <summary>1..100000.</summary>
    public required int Count { get; init; }

    /// <summary>Queue a leadgen webhook per lead (default false).</summary>
    public bool? Deliver { get; init; }

    [JsonConverter(typeof(FlexibleTimeConverter))]
    public DateTimeOffset? CreatedFrom { get; init; }

    [JsonConverter(typeof(FlexibleTimeConverter))]
    public DateTimeOffset? CreatedTo { get; init; }

    public bool? IsOrganic { get; init; }
}

public sealed record BulkLeadsResult
{
    public required IReadOnlyList<string> Ids { get; init; }
}

public sealed record LeadSummary
{
    public required string Id { get; init; }

    public required string FormId { get; init; }

    public required string PageId { get; init; }

    public required string CreatedTime { get; init; }

    public required long CreatedTimeUnix { get; init; }

    public required bool IsOrganic { get; init; }

    public required bool IsTest { get; init; }
}
