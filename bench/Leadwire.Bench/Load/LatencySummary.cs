namespace Leadwire.Bench.Load;

/// <summary>Percentiles of a set of latencies in milliseconds (nearest-rank).</summary>
public sealed record LatencySummary(long Count, double MeanMs, double P50Ms, double P90Ms, double P95Ms, double P99Ms, double P999Ms, double MaxMs)
{
    public static LatencySummary Empty { get; } = new(0, 0, 0, 0, 0, 0, 0, 0);

    public static LatencySummary Of(IEnumerable<double> milliseconds)
    {
        var sorted = milliseconds.ToArray();
        if (sorted.Length == 0)
        {
            return Empty;
        }
        Array.Sort(sorted);
        return new LatencySummary(
            sorted.Length, sorted.Average(),
            Rank(sorted, 0.50), Rank(sorted, 0.90), Rank(sorted, 0.95), Rank(sorted, 0.99), Rank(sorted, 0.999), sorted[^1]);
    }

    private static double Rank(double[] sorted, double quantile) =>
        sorted[Math.Clamp((int)Math.Ceiling(quantile * sorted.Length) - 1, 0, sorted.Length - 1)];
}
