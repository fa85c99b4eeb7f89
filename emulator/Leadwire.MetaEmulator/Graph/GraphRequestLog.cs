using System.Text;
using Leadwire.MetaEmulator.State;

namespace Leadwire.MetaEmulator.Graph;

/// <summary>Raw facts of one Graph request; the query is cleaned only when someone reads the log.</summary>
internal sealed record GraphRequestEntry(
    string Method,
    string Path,
    string? RawQuery,
    bool HadAccessToken,
    bool HadAppsecretProof,
    int StatusCode,
    int? ErrorCode,
    GraphEndpoint Endpoint,
    DateTimeOffset At)
{
    public GraphRequestRecord ToView() => new()
    {
        Method = Method,
        Path = Path,
        Query = Clean(RawQuery),
        HadAccessToken = HadAccessToken,
        HadAppsecretProof = HadAppsecretProof,
        StatusCode = StatusCode,
        ErrorCode = ErrorCode,
        Endpoint = Endpoint.Name(),
        At = At,
    };

    /// <summary>Drops access_token and appsecret_proof so the log never shows credentials.</summary>
    private static string Clean(string? rawQuery)
    {
        if (string.IsNullOrEmpty(rawQuery) || rawQuery == "?")
        {
            return string.Empty;
        }

        var kept = new StringBuilder(rawQuery.Length);
        foreach (var pair in rawQuery.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var name = pair.Split('=', 2)[0];
            if (name is "access_token" or "appsecret_proof")
            {
                continue;
            }

            if (kept.Length > 0)
            {
                kept.Append('&');
            }

            kept.Append(pair);
        }

        return kept.ToString();
    }
}

internal sealed class GraphRequestLog(MetaEmulatorSettings settings)
{
    private readonly RingBuffer<GraphRequestEntry> _entries = new(settings.RequestLogCapacity);

    public void Add(GraphRequestEntry entry) => _entries.Add(entry);

    public IReadOnlyList<GraphRequestRecord> Latest(int limit) => [.. _entries.Latest(limit).Select(entry => entry.ToView())];

    public void Clear() => _entries.Clear();
}
