namespace Leadwire.MetaEmulator.State;

internal static class SortedSearch
{
    /// <summary>First index whose key is greater than or equal to <paramref name="key"/>.</summary>
    public static int LowerBound<T>(ReadOnlySpan<T> items, CreationKey key)
        where T : ICreationOrdered
    {
        int lo = 0, hi = items.Length;
        while (lo < hi)
        {
            var mid = (int)((uint)(lo + hi) >> 1);
            if (CreationKey.Compare(items[mid].Key, key) < 0)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }

    /// <summary>First index whose key is strictly greater than <paramref name="key"/>.</summary>
    public static int UpperBound<T>(ReadOnlySpan<T> items, CreationKey key)
        where T : ICreationOrdered
    {
        int lo = 0, hi = items.Length;
        while (lo < hi)
        {
            var mid = (int)((uint)(lo + hi) >> 1);
            if (CreationKey.Compare(items[mid].Key, key) <= 0)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }

    /// <summary>First index whose time is at least <paramref name="time"/>.</summary>
    public static int FirstAtOrAfter<T>(ReadOnlySpan<T> items, long time)
        where T : ICreationOrdered => LowerBound(items, new CreationKey(time, long.MinValue));
}
