namespace Leadwire.Features.Jobs;

/// <summary>Exponential backoff with jitter, so retries from many jobs do not arrive at Meta in lockstep.</summary>
public static class Backoff
{
    /// <param name="attempt">1 for the first retry.</param>
    /// <param name="jitter">A number in [0, 1); the delay is scaled into [50%, 100%] of the exponential step.</param>
    public static TimeSpan Delay(int attempt, TimeSpan baseDelay, TimeSpan maxDelay, double jitter)
    {
        var exponent = Math.Clamp(attempt - 1, 0, 30);
        var step = Math.Min(maxDelay.TotalMilliseconds, baseDelay.TotalMilliseconds * Math.Pow(2, exponent));
        return TimeSpan.FromMilliseconds(step * (0.5 + (jitter / 2)));
    }
}
