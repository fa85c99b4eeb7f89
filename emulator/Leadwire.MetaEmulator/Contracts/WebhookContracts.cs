namespace Leadwire.MetaEmulator;

public sealed record DeliverWebhooksRequest
{
    public required IReadOnlyList<string> LeadIds { get; init; }
}

public sealed record DeliverWebhooksResult
{
    public required int Queued { get; init; }

    /// <summary>Changes not queued because the page is not subscribed or no callback is configured.</summary>
    public required int Skipped { get; init; }

    /// <summary>Changes swallowed by a drop_next fault.</summary>
    public required int Dropped { get; init; }

    public required IReadOnlyList<string> Missing { get; init; }
}

public sealed record RawWebhookRequest
{
    public required string Body { get; init; }

    /// <summary>"valid" (default), "invalid" or "none".</summary>
    public string? Signature { get; init; }
}

public sealed record RawWebhookResult
{
    public int? StatusCode { get; init; }

    public string? ResponseBody { get; init; }

    public string? Error { get; init; }
}

public sealed record WebhookBehaviour
{
    public required int DropNext { get; init; }

    public required int DuplicateNext { get; init; }

    public required int DelayMs { get; init; }

    public required bool Paused { get; init; }

    public required int MaxBatchSize { get; init; }

    public required int LingerMs { get; init; }

    public required IReadOnlyList<int> RetryScheduleMs { get; init; }

    /// <summary>Fixed at start (settings); shown for information.</summary>
    public required int MaxConcurrentDeliveries { get; init; }
}

public sealed record WebhookBehaviourUpdate
{
    public int? DropNext { get; init; }

    public int? DuplicateNext { get; init; }

    public int? DelayMs { get; init; }

    public bool? Paused { get; init; }

    public int? MaxBatchSize { get; init; }

    public int? LingerMs { get; init; }

    public IReadOnlyList<int>? RetryScheduleMs { get; init; }
}

public sealed record DeliveryAttempt
{
    public required long DeliveryId { get; init; }

    public required int Attempt { get; init; }

    public int? StatusCode { get; init; }

    public string? Error { get; init; }

    public required int ChangeCount { get; init; }

    public required IReadOnlyList<string> LeadIds { get; init; }

    public required DateTimeOffset At { get; init; }

    public required double DurationMs { get; init; }

    /// <summary>True for the extra POST sent by a duplicate_next fault.</summary>
    public required bool Duplicate { get; init; }
}

public sealed record WebhookDeliveryStats
{
    public required int Queued { get; init; }

    public required int InFlight { get; init; }

    public required long DeliveredChanges { get; init; }

    public required long DroppedChanges { get; init; }

    public required long SkippedChanges { get; init; }

    public required long GivenUpChanges { get; init; }

    public required long Attempts { get; init; }

    public required long FailedAttempts { get; init; }

    public required long SuccessfulDeliveries { get; init; }

    public required long DuplicatesSent { get; init; }
}
