using Leadwire.Bench.Load;

namespace Leadwire.Bench.Crm.Phases;

/// <summary>
/// Latencies of one kind of API request, with the two baselines measured in the same run: the lead detail request
/// sent after each measured request on the same connection (what any request costs on this machine right now), and
/// the same filter as raw SQL on the database (what the database alone needs for the same rows).
/// </summary>
public sealed record CrmLatencyResult(
    string Name,
    string ExampleRequest,
    LatencySummary Leadwire,
    IReadOnlyDictionary<string, LatencySummary> ByShape,
    LatencySummary DetailBaseline,
    LatencySummary SqlBaseline,
    IReadOnlyDictionary<string, LatencySummary> SqlByShape,
    int Errors,
    int WrongAnswers,
    string? FirstProblem,
    string? Unavailable)
{
    public static CrmLatencyResult NotAvailable(string name, string example, string reason) =>
        new(name, example, LatencySummary.Empty, new Dictionary<string, LatencySummary>(), LatencySummary.Empty, LatencySummary.Empty,
            new Dictionary<string, LatencySummary>(), 0, 0, null, reason);
}
