using System.Text;
using System.Text.Json;
using Leadwire.Features.Export;

namespace Leadwire.Tests.Unit.Export;

public sealed class JsonLinesTableWriterTests
{
    private static readonly string[] Columns = ["leadgen_id", "full_name", "email"];

    [Fact]
    public async Task Write_Rows_OneObjectPerLineKeyedByColumn()
    {
        var lines = await WriteLinesAsync(
            ["900000000000001", "Jane Doe", "jane@example.com"],
            ["900000000000002", "John Roe", "john@example.com"]);

        Assert.Equal(2, lines.Length);
        using var first = JsonDocument.Parse(lines[0]);
        Assert.Equal(["leadgen_id", "full_name", "email"], first.RootElement.EnumerateObject().Select(p => p.Name));
        Assert.Equal("900000000000001", first.RootElement.GetProperty("leadgen_id").GetString());
        Assert.Equal("Jane Doe", first.RootElement.GetProperty("full_name").GetString());
        using var second = JsonDocument.Parse(lines[1]);
        Assert.Equal("john@example.com", second.RootElement.GetProperty("email").GetString());
    }

    [Fact]
    public async Task Write_AnyTable_EachObjectEndsWithNewlineAndNoBom()
    {
        var bytes = await TableWriting.WriteAsync(ExportFormat.JsonLines, Columns, ["1", "a", "b"], ["2", "c", "d"]);

        Assert.Equal((byte)'{', bytes[0]);
        Assert.Equal(
            "{\"leadgen_id\":\"1\",\"full_name\":\"a\",\"email\":\"b\"}\n{\"leadgen_id\":\"2\",\"full_name\":\"c\",\"email\":\"d\"}\n",
            Encoding.UTF8.GetString(bytes));
    }

    [Fact]
    public async Task Write_NullValue_JsonNull()
    {
        var lines = await WriteLinesAsync(["1", null, ""]);

        using var row = JsonDocument.Parse(lines[0]);
        Assert.Equal(JsonValueKind.Null, row.RootElement.GetProperty("full_name").ValueKind);
        Assert.Equal("", row.RootElement.GetProperty("email").GetString());
    }

    [Fact]
    public async Task Write_NonAsciiNames_ReadableAndRoundTrip()
    {
        var lines = await WriteLinesAsync(["1", "Zoë Ünal", "zoe@example.com"], ["2", "Şükrü Çağlar", null], ["3", "李小龍 🐉", null]);

        Assert.Contains("\"Zoë Ünal\"", lines[0], StringComparison.Ordinal);
        Assert.Contains("\"Şükrü Çağlar\"", lines[1], StringComparison.Ordinal);
        using var third = JsonDocument.Parse(lines[2]);
        Assert.Equal("李小龍 🐉", third.RootElement.GetProperty("full_name").GetString());
    }

    [Theory]
    [InlineData("=1+2")]
    [InlineData("-5")]
    [InlineData("say \"hi\"\r\nbye")]
    [InlineData("back\\slash\ttab")]
    public async Task Write_AnyValue_WrittenUnchanged(string value)
    {
        var lines = await WriteLinesAsync(["1", value, null]);

        Assert.Single(lines);
        using var row = JsonDocument.Parse(lines[0]);
        Assert.Equal(value, row.RootElement.GetProperty("full_name").GetString());
    }

    [Fact]
    public async Task Write_NoRows_EmptyFile()
    {
        var bytes = await TableWriting.WriteAsync(ExportFormat.JsonLines, Columns);

        Assert.Empty(bytes);
    }

    private static async Task<string[]> WriteLinesAsync(params IReadOnlyList<string?>[] rows)
    {
        var text = Encoding.UTF8.GetString(await TableWriting.WriteAsync(ExportFormat.JsonLines, Columns, rows));
        Assert.EndsWith("\n", text, StringComparison.Ordinal);
        return text[..^1].Split('\n');
    }
}
