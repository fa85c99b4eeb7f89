namespace Leadwire.Features.Scoring;

/// <summary>What the scorer needs to know about one lead; the caller gathers it from the lead and its timeline.</summary>
public sealed record ScoringInput
{
    public string? FullName { get; init; }
    public string? FirstName { get; init; }
    public string? LastName { get; init; }
    public string? Email { get; init; }
    public string? Phone { get; init; }
    public string? City { get; init; }

    /// <summary>Every answer by its field_data name, standard and custom alike.</summary>
    public IReadOnlyDictionary<string, string> Answers { get; init; } = new Dictionary<string, string>();

    /// <summary>When Meta says the lead was submitted (UTC).</summary>
    public required DateTime CreatedTime { get; init; }

    /// <summary>The last interaction, note or status change (UTC); null when nobody has touched the lead.</summary>
    public DateTime? LastActivityAt { get; init; }

    /// <summary>Interactions and notes on the lead so far.</summary>
    public int InteractionCount { get; init; }

    public bool IsTest { get; init; }
}
