using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Xml;

namespace Leadwire.Features.Export;

/// <summary>
/// A one-sheet XLSX workbook written as it goes: the fixed parts first, then the sheet row by row as inline
/// strings, so no shared-strings table has to be held until the end. Cells a spreadsheet would run as formulas are
/// neutralised (<see cref="SpreadsheetCells"/>); characters XML 1.0 cannot carry are dropped.
/// </summary>
/// <remarks>
/// <see cref="ZipArchive"/> only writes synchronously, so it writes into <see cref="ChunkedOutput"/>'s memory and
/// the chunks go to the real output asynchronously between rows. Deflate and the XML writer keep small buffers of
/// their own, so bytes reach the output in bursts, but memory stays bounded however many rows there are.
/// </remarks>
public sealed class XlsxTableWriter : ITableWriter
{
    /// <summary>Excel's limit on rows in a sheet, header included; past it Excel refuses the whole file.</summary>
    public const int MaxRows = 1_048_576;

    /// <summary>Excel's limit on columns in a sheet.</summary>
    public const int MaxColumns = 16_384;

    /// <summary>Excel's limit on characters in a cell; longer text is cut rather than making the file unreadable.</summary>
    public const int MaxCellLength = 32_767;

    private const string XmlNamespace = "http://www.w3.org/XML/1998/namespace";

    // A fixed time rather than the clock: ZipArchive would otherwise stamp each part with the local time, making
    // identical exports differ byte for byte.
    private static readonly DateTimeOffset PartTimestamp = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static readonly XmlWriterSettings SheetSettings = new()
    {
        Encoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false),
        CloseOutput = false,
        // A bare CR would come back as LF from any conforming reader; as &#xD; it survives.
        NewLineHandling = NewLineHandling.Entitize,
    };

    private readonly ChunkedOutput _output;
    private readonly TableShape _shape = new();
    private readonly ZipArchive _package;
    private readonly Stream _sheetPart;
    private readonly XmlWriter _sheet;
    private string[] _columnLetters = [];
    private int _rowNumber;

    public XlsxTableWriter(Stream output)
    {
        _output = new ChunkedOutput(output);
        _package = new ZipArchive(_output.AsStream(), ZipArchiveMode.Create, leaveOpen: false);
        AddPart("[Content_Types].xml", XlsxPackageParts.ContentTypes);
        AddPart("_rels/.rels", XlsxPackageParts.PackageRelationships);
        AddPart("xl/workbook.xml", XlsxPackageParts.Workbook);
        AddPart("xl/_rels/workbook.xml.rels", XlsxPackageParts.WorkbookRelationships);
        AddPart("xl/styles.xml", XlsxPackageParts.Styles);

        // The sheet is the only part that grows with the export: favour CPU over size on small hosts.
        var sheet = _package.CreateEntry(XlsxPackageParts.SheetPath, CompressionLevel.Fastest);
        sheet.LastWriteTime = PartTimestamp;
        _sheetPart = sheet.Open();
        _sheet = XmlWriter.Create(_sheetPart, SheetSettings);
    }

    public Task WriteHeaderAsync(IReadOnlyList<string> columns, CancellationToken cancellationToken)
    {
        _shape.StartHeader(columns);
        if (columns.Count > MaxColumns)
        {
            throw new ArgumentException($"An XLSX sheet holds at most {MaxColumns} columns.", nameof(columns));
        }
        _columnLetters = [.. Enumerable.Range(0, columns.Count).Select(ColumnLetters)];

        _sheet.WriteStartDocument(standalone: true);
        _sheet.WriteStartElement("worksheet", XlsxPackageParts.MainNamespace);
        WriteFrozenHeaderView();
        _sheet.WriteStartElement("sheetData", XlsxPackageParts.MainNamespace);
        WriteRow(columns, XlsxPackageParts.HeaderStyle);
        return _output.SendIfFullAsync(cancellationToken);
    }

    public Task WriteRowAsync(IReadOnlyList<string?> values, CancellationToken cancellationToken)
    {
        _shape.StartRow(values, cancellationToken);
        if (_rowNumber >= MaxRows)
        {
            throw new InvalidOperationException($"An XLSX sheet holds at most {MaxRows - 1} rows below its header.");
        }
        WriteRow(values, style: null);
        return _output.SendIfFullAsync(cancellationToken);
    }

    public Task CompleteAsync(CancellationToken cancellationToken)
    {
        _shape.StartCompletion();
        _sheet.WriteEndElement(); // sheetData
        _sheet.WriteEndElement(); // worksheet
        _sheet.WriteEndDocument();
        ClosePackage();
        return _output.SendAsync(cancellationToken);
    }

    public ValueTask DisposeAsync()
    {
        // Only ever writes to memory: an abandoned export's tail is never sent.
        ClosePackage();
        return ValueTask.CompletedTask;
    }

    private void AddPart(string path, ReadOnlySpan<byte> content)
    {
        var entry = _package.CreateEntry(path, CompressionLevel.Optimal);
        entry.LastWriteTime = PartTimestamp;
        using var stream = entry.Open();
        stream.Write(content);
    }

    private void WriteFrozenHeaderView()
    {
        var ns = XlsxPackageParts.MainNamespace;
        _sheet.WriteStartElement("sheetViews", ns);
        _sheet.WriteStartElement("sheetView", ns);
        _sheet.WriteAttributeString("workbookViewId", "0");
        _sheet.WriteStartElement("pane", ns);
        _sheet.WriteAttributeString("ySplit", "1");
        _sheet.WriteAttributeString("topLeftCell", "A2");
        _sheet.WriteAttributeString("activePane", "bottomLeft");
        _sheet.WriteAttributeString("state", "frozen");
        _sheet.WriteEndElement();
        _sheet.WriteEndElement();
        _sheet.WriteEndElement();
    }

    private void WriteRow(IReadOnlyList<string?> values, string? style)
    {
        var ns = XlsxPackageParts.MainNamespace;
        var row = (++_rowNumber).ToString(CultureInfo.InvariantCulture);
        _sheet.WriteStartElement("row", ns);
        _sheet.WriteAttributeString("r", row);
        for (var i = 0; i < values.Count; i++)
        {
            // Empty cells are simply absent, as Excel writes them.
            if (values[i] is not { Length: > 0 } value || CellText(value) is not { Length: > 0 } text)
            {
                continue;
            }
            _sheet.WriteStartElement("c", ns);
            _sheet.WriteStartAttribute("r");
            _sheet.WriteString(_columnLetters[i]);
            _sheet.WriteString(row);
            _sheet.WriteEndAttribute();
            if (style is not null)
            {
                _sheet.WriteAttributeString("s", style);
            }
            _sheet.WriteAttributeString("t", "inlineStr");
            _sheet.WriteStartElement("is", ns);
            _sheet.WriteStartElement("t", ns);
            if (char.IsWhiteSpace(text[0]) || char.IsWhiteSpace(text[^1]))
            {
                _sheet.WriteAttributeString("xml", "space", XmlNamespace, "preserve");
            }
            _sheet.WriteString(text);
            _sheet.WriteEndElement();
            _sheet.WriteEndElement();
            _sheet.WriteEndElement();
        }
        _sheet.WriteEndElement();
    }

    private static string CellText(string value)
    {
        var text = WithoutNonXmlCharacters(SpreadsheetCells.Neutralise(value));
        if (text.Length <= MaxCellLength)
        {
            return text;
        }
        var cut = char.IsHighSurrogate(text[MaxCellLength - 1]) ? MaxCellLength - 1 : MaxCellLength;
        return text[..cut];
    }

    /// <summary>
    /// Drops what XML 1.0 cannot carry even escaped (most C0 controls, lone surrogates, U+FFFE, U+FFFF). Such
    /// characters do arrive in pasted form answers, and one of them would make the whole workbook unreadable.
    /// </summary>
    private static string WithoutNonXmlCharacters(string value)
    {
        StringBuilder? kept = null;
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (i + 1 < value.Length && XmlConvert.IsXmlSurrogatePair(value[i + 1], c))
            {
                kept?.Append(c).Append(value[i + 1]);
                i++;
            }
            else if (XmlConvert.IsXmlChar(c))
            {
                kept?.Append(c);
            }
            else
            {
                kept ??= new StringBuilder(value.Length).Append(value, 0, i);
            }
        }
        return kept?.ToString() ?? value;
    }

    /// <summary>A, B, … Z, AA, AB, … for a zero-based column index.</summary>
    private static string ColumnLetters(int index)
    {
        var letters = new StringBuilder(3);
        for (var n = index + 1; n > 0; n = (n - 1) / 26)
        {
            letters.Insert(0, (char)('A' + ((n - 1) % 26)));
        }
        return letters.ToString();
    }

    private void ClosePackage()
    {
        // Each is a no-op the second time. Order matters: the XML writer's buffer goes into the sheet part, which
        // must be finished before the archive writes its central directory.
        _sheet.Dispose();
        _sheetPart.Dispose();
        _package.Dispose();
    }
}
