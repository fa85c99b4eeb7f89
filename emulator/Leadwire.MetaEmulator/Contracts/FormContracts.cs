using System.Text.Json.Serialization;
using Leadwire.MetaEmulator.Json;

namespace Leadwire.MetaEmulator;

public sealed record CreateFormRequest
{
    public required string PageId { get; init; }

    public string? Id { get; init; }

    public required string Name { get; init; }

    /// <summary>ACTIVE (default), ARCHIVED, DELETED or DRAFT.</summary>
    public string? Status { get; init; }

    public string? Locale { get; init; }

    [JsonConverter(typeof(FlexibleTimeConverter))]
    public DateTimeOffset? CreatedTime { get; init; }

    public required IReadOnlyList<QuestionRequest> Questions { get; init; }
}

public sealed record QuestionRequest
{
    /// <summary>Required for CUSTOM questions unless a label is given (the key is then derived from it).</summary>
    public string? Key { get; init; }

    public string? Label { get; init; }

    /// <summary>Meta question type: FULL_NAME, EMAIL, PHONE, CUSTOM, ...</summary>
    public required string Type { get; init; }

    public IReadOnlyList<QuestionOption>? Options { get; init; }
}

public sealed record QuestionOption
{
    public required string Key { get; init; }

    public required string Value { get; init; }
}

public sealed record FormQuestion
{
    public required string Id { get; init; }

    public required string Key { get; init; }

    public required string Label { get; init; }

    public required string Type { get; init; }

    public IReadOnlyList<QuestionOption>? Options { get; init; }
}

public sealed record FormView
{
    public required string Id { get; init; }

    public required string PageId { get; init; }

    public required string Name { get; init; }

    public required string Status { get; init; }

    public required string Locale { get; init; }

    /// <summary>Meta format, e.g. 2026-01-01T08:49:14+0000.</summary>
    public required string CreatedTime { get; init; }

    public required IReadOnlyList<FormQuestion> Questions { get; init; }

    /// <summary>The ad that non-organic leads of this form get when the create call names none.</summary>
    public required AdInfo DefaultAd { get; init; }

    public required int LeadsCount { get; init; }
}

public sealed record AdInfo
{
    public string? AdId { get; init; }

    public string? AdName { get; init; }

    public string? AdsetId { get; init; }

    public string? AdsetName { get; init; }

    public string? CampaignId { get; init; }

    public string? CampaignName { get; init; }
}
