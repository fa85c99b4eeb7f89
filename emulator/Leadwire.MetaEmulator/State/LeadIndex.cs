namespace Leadwire.MetaEmulator.State;

/// <summary>Immutable view of a form's leads, ascending by (created_time, id).</summary>
internal sealed class LeadSnapshot(LeadRecord[] items, int count, int organicCount)
{
    public static readonly LeadSnapshot Empty = new([], 0, 0);

    public LeadRecord[] Items => items;

    public int Count => count;

    public int OrganicCount => organicCount;

    public ReadOnlySpan<LeadRecord> Span => items.AsSpan(0, count);
}

/// <summary>
/// A form's leads for the /leads edge. Readers take the published snapshot without locking; writers serialise on a
/// per-form lock. Leads usually arrive in time order, so an append writes past the published count of the shared
/// array (no reader looks there) and publishes a longer snapshot; out-of-order inserts and deletes copy.
/// </summary>
internal sealed class LeadIndex
{
    private readonly Lock _gate = new();
    private volatile LeadSnapshot _snapshot = LeadSnapshot.Empty;

    public LeadSnapshot Snapshot => _snapshot;

    public void Add(LeadRecord lead)
    {
        lock (_gate)
        {
            var current = _snapshot;
            var organic = current.OrganicCount + (lead.IsOrganic ? 1 : 0);
            var count = current.Count;
            if (count == 0 || CreationKey.Compare(current.Items[count - 1].Key, lead.Key) < 0)
            {
                var items = count < current.Items.Length ? current.Items : Grow(current, count + 1);
                items[count] = lead;
                _snapshot = new LeadSnapshot(items, count + 1, organic);
                return;
            }

            var at = SortedSearch.UpperBound(current.Span, lead.Key);
            var next = new LeadRecord[Capacity(current.Items.Length, count + 1)];
            Array.Copy(current.Items, 0, next, 0, at);
            next[at] = lead;
            Array.Copy(current.Items, at, next, at + 1, count - at);
            _snapshot = new LeadSnapshot(next, count + 1, organic);
        }
    }

    /// <summary>Adds leads already sorted by key (bulk creation).</summary>
    public void AddRange(LeadRecord[] sorted)
    {
        if (sorted.Length == 0)
        {
            return;
        }

        var addedOrganic = 0;
        foreach (var lead in sorted)
        {
            addedOrganic += lead.IsOrganic ? 1 : 0;
        }

        lock (_gate)
        {
            var current = _snapshot;
            var count = current.Count;
            var total = count + sorted.Length;
            var organic = current.OrganicCount + addedOrganic;
            if (count == 0 || CreationKey.Compare(current.Items[count - 1].Key, sorted[0].Key) < 0)
            {
                var items = total <= current.Items.Length ? current.Items : Grow(current, total);
                Array.Copy(sorted, 0, items, count, sorted.Length);
                _snapshot = new LeadSnapshot(items, total, organic);
                return;
            }

            var merged = new LeadRecord[Capacity(current.Items.Length, total)];
            int left = 0, right = 0, write = 0;
            while (left < count && right < sorted.Length)
            {
                merged[write++] = CreationKey.Compare(current.Items[left].Key, sorted[right].Key) <= 0
                    ? current.Items[left++]
                    : sorted[right++];
            }

            while (left < count)
            {
                merged[write++] = current.Items[left++];
            }

            while (right < sorted.Length)
            {
                merged[write++] = sorted[right++];
            }

            _snapshot = new LeadSnapshot(merged, total, organic);
        }
    }

    public bool Remove(LeadRecord lead)
    {
        lock (_gate)
        {
            var current = _snapshot;
            var at = SortedSearch.LowerBound(current.Span, lead.Key);
            if (at >= current.Count || !ReferenceEquals(current.Items[at], lead))
            {
                return false;
            }

            var next = new LeadRecord[current.Items.Length];
            Array.Copy(current.Items, 0, next, 0, at);
            Array.Copy(current.Items, at + 1, next, at, current.Count - at - 1);
            _snapshot = new LeadSnapshot(next, current.Count - 1, current.OrganicCount - (lead.IsOrganic ? 1 : 0));
            return true;
        }
    }

    private static int Capacity(int currentCapacity, int needed)
    {
        var capacity = Math.Max(16, currentCapacity);
        while (capacity < needed)
        {
            capacity *= 2;
        }

        return capacity;
    }

    private static LeadRecord[] Grow(LeadSnapshot current, int needed)
    {
        var items = new LeadRecord[Capacity(current.Items.Length * 2, needed)];
        Array.Copy(current.Items, items, current.Count);
        return items;
    }
}
