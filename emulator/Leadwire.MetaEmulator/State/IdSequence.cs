namespace Leadwire.MetaEmulator.State;

/// <summary>Numeric ids from a fixed seed; reset returns to the seed so runs produce the same ids.</summary>
internal sealed class IdSequence(long seed)
{
    private long _last = seed - 1;

    public long Next() => Interlocked.Increment(ref _last);

    public void Reset() => Interlocked.Exchange(ref _last, seed - 1);
}
