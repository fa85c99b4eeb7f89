namespace Leadwire.Features.Export;

/// <summary>
/// Writes one table, row by row, to a stream that may be an HTTP response body: nothing is held beyond a bounded
/// buffer, and every write to the stream is asynchronous.
/// </summary>
/// <remarks>
/// Call <see cref="WriteHeaderAsync"/> once, then <see cref="WriteRowAsync"/> for each row, then
/// <see cref="CompleteAsync"/>. Disposing without completing abandons the export: what is still buffered is dropped
/// rather than written, because the usual reason is that the client went away or a row failed to load.
/// </remarks>
public interface ITableWriter : IAsyncDisposable
{
    /// <summary>Starts the table with its column names; every row must then have exactly this many values.</summary>
    Task WriteHeaderAsync(IReadOnlyList<string> columns, CancellationToken cancellationToken);

    /// <summary>Writes one row, its values in column order; null is an empty cell.</summary>
    Task WriteRowAsync(IReadOnlyList<string?> values, CancellationToken cancellationToken);

    /// <summary>Ends the table and sends everything still buffered.</summary>
    Task CompleteAsync(CancellationToken cancellationToken);
}
