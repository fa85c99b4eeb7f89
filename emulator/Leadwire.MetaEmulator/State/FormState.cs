namespace Leadwire.MetaEmulator.State;

internal sealed class FormState : ICreationOrdered
{
    private string? _testLeadId;

    public required string Id { get; init; }

    public required long Number { get; init; }

    public required PageState Page { get; init; }

    public required string Name { get; set; }

    public required string Status { get; set; }

    public required string Locale { get; init; }

    public required long CreatedUnix { get; init; }

    public required string CreatedTime { get; init; }

    public required IReadOnlyList<FormQuestion> Questions { get; init; }

    public required AdInfo DefaultAd { get; init; }

    public LeadIndex Leads { get; } = new();

    public CreationKey Key => new(CreatedUnix, Number);

    public string? TestLeadId => Volatile.Read(ref _testLeadId);

    /// <summary>Meta allows one test lead per form; the slot is claimed before the lead exists.</summary>
    public bool TryClaimTestLead(string leadId) => Interlocked.CompareExchange(ref _testLeadId, leadId, null) is null;

    public void ReleaseTestLead(string leadId) => Interlocked.CompareExchange(ref _testLeadId, null, leadId);

    public FormView ToView() => new()
    {
        Id = Id,
        PageId = Page.Id,
        Name = Name,
        Status = Status,
        Locale = Locale,
        CreatedTime = CreatedTime,
        Questions = Questions,
        DefaultAd = DefaultAd,
        LeadsCount = Leads.Snapshot.Count,
    };
}
