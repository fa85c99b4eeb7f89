namespace Leadwire.Features.Export;

/// <summary>Creates the <see cref="ITableWriter"/> for an export format.</summary>
public static class TableWriter
{
    /// <summary>A writer for <paramref name="format"/> over <paramref name="output"/>, which it does not close.</summary>
    public static ITableWriter Create(ExportFormat format, Stream output) => format switch
    {
        ExportFormat.Csv => new CsvTableWriter(output),
        ExportFormat.JsonLines => new JsonLinesTableWriter(output),
        ExportFormat.Xlsx => new XlsxTableWriter(output),
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, "Unknown export format."),
    };
}
