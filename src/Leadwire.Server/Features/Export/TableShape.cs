namespace Leadwire.Features.Export;

/// <summary>
/// The call order every <see cref="ITableWriter"/> relies on: one header, rows exactly as wide as it, then one
/// completion. A misaligned row is a bug in the caller, and failing loudly beats a file with shifted columns.
/// </summary>
internal sealed class TableShape
{
    private int _width = -1;
    private bool _completed;

    public void StartHeader(IReadOnlyList<string> columns)
    {
        ArgumentNullException.ThrowIfNull(columns);
        ThrowIfCompleted();
        if (_width >= 0)
        {
            throw new InvalidOperationException("The header has already been written.");
        }
        if (columns.Count == 0)
        {
            throw new ArgumentException("A table needs at least one column.", nameof(columns));
        }
        _width = columns.Count;
    }

    public void StartRow(IReadOnlyList<string?> values, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(values);
        cancellationToken.ThrowIfCancellationRequested();
        ThrowIfCompleted();
        ThrowIfNoHeader();
        if (values.Count != _width)
        {
            throw new ArgumentException($"The row has {values.Count} values but the header has {_width} columns.", nameof(values));
        }
    }

    public void StartCompletion()
    {
        ThrowIfCompleted();
        ThrowIfNoHeader();
        _completed = true;
    }

    private void ThrowIfNoHeader()
    {
        if (_width < 0)
        {
            throw new InvalidOperationException("Write the header before anything else.");
        }
    }

    private void ThrowIfCompleted()
    {
        if (_completed)
        {
            throw new InvalidOperationException("The table has already been completed.");
        }
    }
}
