namespace Leadwire.MetaEmulator.State;

/// <summary>Order of leads and forms on the Graph: by creation time, ties broken by the numeric id.</summary>
internal readonly record struct SortKey(long Time, long Id)
{
    public static int Compare(SortKey left, SortKey right) =>
        left.Time != right.Time ? left.Time.CompareTo(right.Time) : left.Id.CompareTo(right.Id);
}

internal interface ISortKeyed
{
    SortKey Key { get; }
}
