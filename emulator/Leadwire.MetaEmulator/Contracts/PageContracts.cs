using System.Text.Json.Serialization;
using Leadwire.MetaEmulator.Json;

namespace Leadwire.MetaEmulator;

public sealed record CreatePageRequest
{
    public string? Id { get; init; }

    public required string Name { get; init; }

    public string? AccessToken { get; init; }

    [JsonConverter(typeof(FlexibleTimeConverter))]
    public DateTimeOffset? TokenExpiresAt { get; init; }

    /// <summary>Whether the app is installed on the page (subscribed_apps with leadgen). Defaults to true.</summary>
    public bool? Subscribed { get; init; }

    /// <summary>Whether the page token may see ad-level lead fields (ad_id, campaign_name...). Defaults to true.</summary>
    public bool? AdsAccess { get; init; }
}

public sealed record PageView
{
    public required string Id { get; init; }

    public required string Name { get; init; }

    public required string AccessToken { get; init; }

    public DateTimeOffset? TokenExpiresAt { get; init; }

    public required bool Subscribed { get; init; }

    public required bool AdsAccess { get; init; }
}

public sealed record RotateTokenRequest
{
    public string? AccessToken { get; init; }

    [JsonConverter(typeof(FlexibleTimeConverter))]
    public DateTimeOffset? ExpiresAt { get; init; }
}

public sealed record PageTokenView
{
    public required string PageId { get; init; }

    public required string AccessToken { get; init; }

    public DateTimeOffset? TokenExpiresAt { get; init; }
}
