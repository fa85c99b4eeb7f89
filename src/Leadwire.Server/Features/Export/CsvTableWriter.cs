using System.Buffers;
using System.Text;

namespace Leadwire.Features.Export;

/// <summary>
/// RFC 4180 CSV: UTF-8 with a byte order mark, CRLF line ends, fields quoted only when they hold a comma, quote,
/// CR or LF. Cells that a spreadsheet would run as formulas are neutralised (<see cref="SpreadsheetCells"/>).
/// </summary>
/// <remarks>
/// The byte order mark is for Excel, which otherwise reads CSV in the machine's legacy code page and turns
/// "Zoë Ünal" into mojibake; other readers skip it.
/// </remarks>
public sealed class CsvTableWriter(Stream output) : ITableWriter
{
    private static readonly SearchValues<char> NeedsQuotes = SearchValues.Create(",\"\r\n");

    private readonly ChunkedOutput _output = new(output);
    private readonly TableShape _shape = new();

    public Task WriteHeaderAsync(IReadOnlyList<string> columns, CancellationToken cancellationToken)
    {
        _shape.StartHeader(columns);
        _output.Pending.Write(Encoding.UTF8.Preamble);
        WriteRecord(columns);
        return _output.SendIfFullAsync(cancellationToken);
    }

    public Task WriteRowAsync(IReadOnlyList<string?> values, CancellationToken cancellationToken)
    {
        _shape.StartRow(values, cancellationToken);
        WriteRecord(values);
        return _output.SendIfFullAsync(cancellationToken);
    }

    public Task CompleteAsync(CancellationToken cancellationToken)
    {
        _shape.StartCompletion();
        return _output.SendAsync(cancellationToken);
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private void WriteRecord(IReadOnlyList<string?> values)
    {
        var pending = _output.Pending;
        for (var i = 0; i < values.Count; i++)
        {
            if (i > 0)
            {
                pending.Write(","u8);
            }
            if (values[i] is { Length: > 0 } value)
            {
                WriteField(pending, SpreadsheetCells.Neutralise(value));
            }
        }
        pending.Write("\r\n"u8);
    }

    private static void WriteField(IBufferWriter<byte> pending, string value)
    {
        var rest = value.AsSpan();
        if (rest.IndexOfAny(NeedsQuotes) < 0)
        {
            Encoding.UTF8.GetBytes(rest, pending);
            return;
        }

        pending.Write("\""u8);
        int quote;
        while ((quote = rest.IndexOf('"')) >= 0)
        {
            // Up to and including the quote, then one more quote: "" is how RFC 4180 escapes it.
            Encoding.UTF8.GetBytes(rest[..(quote + 1)], pending);
            pending.Write("\""u8);
            rest = rest[(quote + 1)..];
        }
        Encoding.UTF8.GetBytes(rest, pending);
        pending.Write("\""u8);
    }
}
