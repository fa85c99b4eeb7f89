namespace Leadwire.MetaEmulator.State;

/// <summary>Fixed-size, lock-free log of the most recent items (diagnostics only: a reader racing a writer may
/// miss the newest entry).</summary>
internal sealed class RingBuffer<T>(int capacity)
    where T : class
{
    private readonly T?[] _items = new T?[capacity];
    private long _written;

    public void Add(T item)
    {
        var sequence = Interlocked.Increment(ref _written) - 1;
        Volatile.Write(ref _items[(int)(sequence % capacity)], item);
    }

    /// <summary>Up to <paramref name="limit"/> most recent items, oldest first.</summary>
    public IReadOnlyList<T> Latest(int limit)
    {
        var written = Volatile.Read(ref _written);
        var count = (int)Math.Min(Math.Min(written, capacity), Math.Max(0, limit));
        var result = new List<T>(count);
        for (var sequence = written - count; sequence < written; sequence++)
        {
            if (Volatile.Read(ref _items[(int)(sequence % capacity)]) is { } item)
            {
                result.Add(item);
            }
        }

        return result;
    }

    public void Clear()
    {
        Interlocked.Exchange(ref _written, 0);
        Array.Clear(_items);
    }
}
