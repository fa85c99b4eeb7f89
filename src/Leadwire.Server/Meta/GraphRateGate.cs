using System.Collections.Concurrent;

namespace Leadwire.Meta;

/// <summary>
/// Remembers when Meta asked us to stop calling on behalf of a page (or the app). Calling while throttled extends
/// Meta's block, so a blocked scope fails fast locally until the announced time has passed.
/// </summary>
public sealed class GraphRateGate(TimeProvider time)
{
    private readonly ConcurrentDictionary<string, DateTime> _blockedUntil = new(StringComparer.Ordinal);

    public TimeSpan? Remaining(string scope)
    {
        if (!_blockedUntil.TryGetValue(scope, out var until))
        {
            return null;
        }
        var remaining = until - time.GetUtcNow().UtcDateTime;
        if (remaining > TimeSpan.Zero)
        {
            return remaining;
        }
        _blockedUntil.TryRemove(KeyValuePair.Create(scope, until));
        return null;
    }

    public void Block(string scope, TimeSpan duration)
    {
        var until = time.GetUtcNow().UtcDateTime + duration;
        _blockedUntil.AddOrUpdate(scope, until, (_, existing) => existing > until ? existing : until);
    }
}
