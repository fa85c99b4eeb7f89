namespace Leadwire.MetaEmulator.State;

internal sealed class LeadRecord : ICreationOrdered
{
    public required string Id { get; init; }

    public required long Number { get; init; }

    public required FormState Form { get; init; }

    public required long CreatedUnix { get; init; }

    /// <summary>Pre-formatted once, so Graph reads do not format dates.</summary>
    public required string CreatedTime { get; init; }

    public required IReadOnlyList<FieldDataItem> FieldData { get; init; }

    /// <summary>Null for organic and test leads.</summary>
    public AdInfo? Ad { get; init; }

    public required bool IsOrganic { get; init; }

    public required string Platform { get; init; }

    public string? PartnerName { get; init; }

    public string? RetailerItemId { get; init; }

    public IReadOnlyList<DisclaimerResponse>? CustomDisclaimerResponses { get; init; }

    public PostSubmissionCheckResult? PostSubmissionCheckResult { get; init; }

    public bool IsTest { get; init; }

    public string FormId => Form.Id;

    public string PageId => Form.Page.Id;

    public CreationKey Key => new(CreatedUnix, Number);

    public LeadView ToView() => new()
    {
        Id = Id,
        FormId = FormId,
        PageId = PageId,
        CreatedTime = CreatedTime,
        CreatedTimeUnix = CreatedUnix,
        FieldData = FieldData,
        AdId = Ad?.AdId,
        AdName = Ad?.AdName,
        AdsetId = Ad?.AdsetId,
        AdsetName = Ad?.AdsetName,
        CampaignId = Ad?.CampaignId,
        CampaignName = Ad?.CampaignName,
        IsOrganic = IsOrganic,
        Platform = Platform,
        PartnerName = PartnerName,
        RetailerItemId = RetailerItemId,
        CustomDisclaimerResponses = CustomDisclaimerResponses,
        PostSubmissionCheckResult = PostSubmissionCheckResult,
        IsTest = IsTest,
    };

    public LeadSummary ToSummary() => new()
    {
        Id = Id,
        FormId = FormId,
        PageId = PageId,
        CreatedTime = CreatedTime,
        CreatedTimeUnix = CreatedUnix,
        IsOrganic = IsOrganic,
        IsTest = IsTest,
    };
}
