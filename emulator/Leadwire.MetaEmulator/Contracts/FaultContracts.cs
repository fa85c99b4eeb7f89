namespace Leadwire.MetaEmulator;

public sealed record FaultRequest
{
    /// <summary>An endpoint keyword (lead, form, page, app, form_leads, leadgen_forms, test_leads, delete_lead,
    /// update_form, subscribed_apps, subscriptions, unknown, *) or a path glob starting with '/' matched against
    /// the path after the version, e.g. "/*/leads".</summary>
    public required string Match { get; init; }

    public string? PageId { get; init; }

    public int? ErrorCode { get; init; }

    public int? ErrorSubcode { get; init; }

    public int? HttpStatus { get; init; }

    public string? Message { get; init; }

    public string? Type { get; init; }

    public bool? IsTransient { get; init; }

    public string? ErrorUserTitle { get; init; }

    public string? ErrorUserMsg { get; init; }

    /// <summary>Times to fire (default 1); 0 fires until cleared.</summary>
    public int? Count { get; init; }

    public int? LatencyMs { get; init; }

    /// <summary>Usage values reported in the headers of the faulted response.</summary>
    public UsageThrottle? Usage { get; init; }
}

public sealed record FaultCreated
{
    public required string Id { get; init; }
}

public sealed record FaultView
{
    public required string Id { get; init; }

    public required string Match { get; init; }

    public string? PageId { get; init; }

    public int? ErrorCode { get; init; }

    public int? ErrorSubcode { get; init; }

    public int? HttpStatus { get; init; }

    public string? Message { get; init; }

    public string? Type { get; init; }

    public bool? IsTransient { get; init; }

    public int? LatencyMs { get; init; }

    public UsageThrottle? Usage { get; init; }

    /// <summary>Firings left; 0 means unlimited.</summary>
    public required int Remaining { get; init; }

    public required long Fired { get; init; }
}
