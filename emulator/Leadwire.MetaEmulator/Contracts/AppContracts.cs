namespace Leadwire.MetaEmulator;

/// <summary>The emulated Meta app: its credentials and where webhooks go.</summary>
public sealed record AppSettingsView
{
    public required string AppId { get; init; }

    public required string AppName { get; init; }

    public required string AppSecret { get; init; }

    public required string VerifyToken { get; init; }

    public string? CallbackUrl { get; init; }

    public required bool RequireAppsecretProof { get; init; }

    public required string GraphVersion { get; init; }

    public required IReadOnlyList<string> SubscribedFields { get; init; }
}

/// <summary>Partial update of the app. Null members stay as they are; an empty callback_url removes the subscription.</summary>
public sealed record AppSettingsUpdate
{
    public string? AppId { get; init; }

    public string? AppName { get; init; }

    public string? AppSecret { get; init; }

    public string? VerifyToken { get; init; }

    public string? CallbackUrl { get; init; }

    public bool? RequireAppsecretProof { get; init; }
}

/// <summary>Usage percentages reported in X-App-Usage / X-Business-Use-Case-Usage (regain time in minutes).</summary>
public sealed record UsageThrottle
{
    public int CallCount { get; init; }

    public int TotalTime { get; init; }

    public int TotalCputime { get; init; }

    public int EstimatedTimeToRegainAccess { get; init; }
}
