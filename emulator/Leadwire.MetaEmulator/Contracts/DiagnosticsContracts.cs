namespace Leadwire.MetaEmulator;

public sealed record GraphRequestRecord
{
    public required string Method { get; init; }

    public required string Path { get; init; }

    /// <summary>The query string without access_token and appsecret_proof.</summary>
    public required string Query { get; init; }

    public required bool HadAccessToken { get; init; }

    public required bool HadAppsecretProof { get; init; }

    public required int StatusCode { get; init; }

    public int? ErrorCode { get; init; }

    public required string Endpoint { get; init; }

    public required DateTimeOffset At { get; init; }
}

public sealed record GraphStatsView
{
    public required long TotalRequests { get; init; }

    public required long TotalErrors { get; init; }

    public required IReadOnlyDictionary<string, EndpointStats> Endpoints { get; init; }
}

public sealed record EndpointStats
{
    public required long Requests { get; init; }

    public required long Errors { get; init; }
}
