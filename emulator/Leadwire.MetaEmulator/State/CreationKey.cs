namespace Leadwire.MetaEmulator.State;

/// <summary>Order of leads and forms on the Graph: by creation time, ties broken by the numeric id.</summary>
internal readonly record struct CreationKey(long Time, long Id)
{
    public static int Compare(CreationKey left, CreationKey right) =>
        left.Time != right.Time ? left.Time.CompareTo(right.Time) : left.Id.CompareTo(right.Id);
}

internal interface ICreationOrdered
{
    CreationKey Key { get; }
}
