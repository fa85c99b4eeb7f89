using Leadwire.Features.Export;

namespace Leadwire.Tests.Unit.Export;

public sealed class ExportFormatTests
{
    [Theory]
    [InlineData("csv", ExportFormat.Csv)]
    [InlineData("CSV", ExportFormat.Csv)]
    [InlineData("jsonl", ExportFormat.JsonLines)]
    [InlineData("ndjson", ExportFormat.JsonLines)]
    [InlineData("JsonLines", ExportFormat.JsonLines)]
    [InlineData("xlsx", ExportFormat.Xlsx)]
    [InlineData("XLSX", ExportFormat.Xlsx)]
    public void TryParse_KnownName_ReturnsFormat(string value, ExportFormat expected)
    {
        Assert.True(ExportFormats.TryParse(value, out var format));
        Assert.Equal(expected, format);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("xls")]
    [InlineData("json")]
    [InlineData("pdf")]
    public void TryParse_UnknownName_ReturnsFalse(string? value)
    {
        Assert.False(ExportFormats.TryParse(value, out _));
    }

    [Theory]
    [InlineData(ExportFormat.Csv, "text/csv; charset=utf-8", "csv")]
    [InlineData(ExportFormat.JsonLines, "application/x-ndjson", "jsonl")]
    [InlineData(ExportFormat.Xlsx, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx")]
    public void ContentTypeAndFileExtension_EachFormat_MatchDownload(ExportFormat format, string contentType, string extension)
    {
        Assert.Equal(contentType, format.ContentType());
        Assert.Equal(extension, format.FileExtension());
    }
}
