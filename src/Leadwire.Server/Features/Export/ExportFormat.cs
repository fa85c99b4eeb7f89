namespace Leadwire.Features.Export;

/// <summary>The file formats a lead export can be downloaded in.</summary>
public enum ExportFormat
{
    Csv,
    JsonLines,
    Xlsx,
}

/// <summary>Maps <see cref="ExportFormat"/> to and from what travels over HTTP: the query value, the content type and the file extension.</summary>
public static class ExportFormats
{
    /// <summary>
    /// Reads a format name as a client would send it (<c>csv</c>, <c>jsonl</c>, <c>ndjson</c>, <c>jsonlines</c>,
    /// <c>xlsx</c>; any case). Returns false for anything else, so the caller can answer with a validation problem.
    /// </summary>
    public static bool TryParse(string? value, out ExportFormat format)
    {
        switch (value?.Trim().ToLowerInvariant())
        {
            case "csv":
                format = ExportFormat.Csv;
                return true;
            case "jsonl" or "ndjson" or "jsonlines":
                format = ExportFormat.JsonLines;
                return true;
            case "xlsx":
                format = ExportFormat.Xlsx;
                return true;
            default:
                format = default;
                return false;
        }
    }

    /// <summary>The <c>Content-Type</c> of a download in this format.</summary>
    public static string ContentType(this ExportFormat format) => format switch
    {
        ExportFormat.Csv => "text/csv; charset=utf-8",
        ExportFormat.JsonLines => "application/x-ndjson",
        ExportFormat.Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, "Unknown export format."),
    };

    /// <summary>The file name extension for this format, without the dot (<c>csv</c>, <c>jsonl</c>, <c>xlsx</c>).</summary>
    public static string FileExtension(this ExportFormat format) => format switch
    {
        ExportFormat.Csv => "csv",
        ExportFormat.JsonLines => "jsonl",
        ExportFormat.Xlsx => "xlsx",
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, "Unknown export format."),
    };
}
