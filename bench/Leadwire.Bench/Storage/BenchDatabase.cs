namespace Leadwire.Bench.Storage;

/// <summary>A lead row as the bench reads it back: the id order it was inserted in, Meta's id, and stored_at (UTC).</summary>
public sealed record StoredLead(long Id, string MetaLeadId, DateTime StoredAtUtc);

/// <summary>
/// A fresh, empty database for one Leadwire server (one phase), the settings that point the server at it, and
/// read-only queries the bench makes on it. Disposing removes it.
/// </summary>
public abstract class BenchDatabase : IAsyncDisposable
{
    public abstract string Provider { get; }

    /// <summary>Environment variables for the Leadwire process.</summary>
    public abstract IReadOnlyDictionary<string, string> ServerEnvironment { get; }

    public abstract Task<long> CountLeadsAsync(CancellationToken cancellationToken);

    /// <summary>The highest lead id so far (0 when there is none): where a phase's own rows begin.</summary>
    public abstract Task<long> MaxLeadIdAsync(CancellationToken cancellationToken);

    /// <summary>Leads with an id above <paramref name="afterId"/>, in id order (what was committed since the last look).</summary>
    public abstract Task<IReadOnlyList<StoredLead>> ReadLeadsAfterAsync(long afterId, CancellationToken cancellationToken);

    public abstract ValueTask DisposeAsync();

    public static async Task<BenchDatabase> CreateAsync(BenchArguments arguments, string phase, CancellationToken cancellationToken) =>
        arguments.Provider switch
        {
            BenchProvider.Postgres => await PostgresBenchDatabase.CreateAsync(arguments.PostgresAdmin!, phase, cancellationToken),
            _ => SqliteBenchDatabase.Create(phase),
        };
}
