using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Leadwire.Features.Export;

/// <summary>
/// JSON lines (NDJSON): one object per row, keyed by column name, values strings or null, each followed by
/// <c>\n</c>. Values are written exactly as stored: programs read this format, so no spreadsheet guard applies.
/// </summary>
public sealed class JsonLinesTableWriter : ITableWriter
{
    // Relaxed escaping keeps "Zoë" readable in the file instead of "Zo\u00EB". It is unsafe only for JSON pasted
    // into HTML or script, and this is a file download.
    private static readonly JsonWriterOptions Options = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Indented = false,
    };

    private readonly ChunkedOutput _output;
    private readonly TableShape _shape = new();
    private readonly Utf8JsonWriter _json;
    private JsonEncodedText[] _names = [];

    public JsonLinesTableWriter(Stream output)
    {
        _output = new ChunkedOutput(output);
        _json = new Utf8JsonWriter(_output.Pending, Options);
    }

    public Task WriteHeaderAsync(IReadOnlyList<string> columns, CancellationToken cancellationToken)
    {
        _shape.StartHeader(columns);
        // Encoded once here rather than once per row; the header itself is not a line of the file.
        _names = [.. columns.Select(name => JsonEncodedText.Encode(name, Options.Encoder))];
        return Task.CompletedTask;
    }

    public Task WriteRowAsync(IReadOnlyList<string?> values, CancellationToken cancellationToken)
    {
        _shape.StartRow(values, cancellationToken);
        _json.WriteStartObject();
        for (var i = 0; i < values.Count; i++)
        {
            if (values[i] is { } value)
            {
                _json.WriteString(_names[i], value);
            }
            else
            {
                _json.WriteNull(_names[i]);
            }
        }
        _json.WriteEndObject();
        // Flush only moves the object into the pending buffer; Reset lets the next row be another top-level value.
        _json.Flush();
        _json.Reset();
        _output.Pending.Write("\n"u8);
        return _output.SendIfFullAsync(cancellationToken);
    }

    public Task CompleteAsync(CancellationToken cancellationToken)
    {
        _shape.StartCompletion();
        return _output.SendAsync(cancellationToken);
    }

    public ValueTask DisposeAsync()
    {
        _json.Dispose();
        return ValueTask.CompletedTask;
    }
}
