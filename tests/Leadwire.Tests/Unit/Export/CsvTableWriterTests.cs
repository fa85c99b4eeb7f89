using System.Text;
using Leadwire.Features.Export;

namespace Leadwire.Tests.Unit.Export;

public sealed class CsvTableWriterTests
{
    private static readonly string[] Columns = ["name", "email"];

    [Fact]
    public async Task Write_AnyTable_StartsWithUtf8Bom()
    {
        var bytes = await TableWriting.WriteAsync(ExportFormat.Csv, Columns, ["Jane Doe", "jane@example.com"]);

        Assert.Equal(new byte[] { 0xEF, 0xBB, 0xBF }, bytes[..3]);
    }

    [Fact]
    public async Task Write_PlainValues_UnquotedWithCrLfLineEnds()
    {
        var text = await WriteTextAsync(["Jane Doe", "jane@example.com"], ["John Roe", "john@example.com"]);

        Assert.Equal("name,email\r\nJane Doe,jane@example.com\r\nJohn Roe,john@example.com\r\n", text);
    }

    [Theory]
    [InlineData("Doe, Jane", "\"Doe, Jane\"")]
    [InlineData("Jane \"JD\" Doe", "\"Jane \"\"JD\"\" Doe\"")]
    [InlineData("\"", "\"\"\"\"")]
    [InlineData("line one\nline two", "\"line one\nline two\"")]
    [InlineData("line one\r\nline two", "\"line one\r\nline two\"")]
    [InlineData("trailing cr\r", "\"trailing cr\r\"")]
    public async Task Write_SpecialCharacters_QuotedWithQuotesDoubled(string value, string expected)
    {
        var text = await WriteTextAsync([value, "x"]);

        Assert.Equal($"name,email\r\n{expected},x\r\n", text);
    }

    [Fact]
    public async Task Write_NullAndEmpty_EmptyFields()
    {
        var text = await TableWriting.WriteAsync(ExportFormat.Csv, ["a", "b", "c"], [null, "", null]);

        Assert.Equal("a,b,c\r\n,,\r\n", Decode(text));
    }

    [Fact]
    public async Task Write_NonAsciiNames_RoundTripAsUtf8()
    {
        var text = await WriteTextAsync(["Zoë Ünal", "zoe@example.com"], ["Şükrü Çağlar", "sukru@example.com"], ["李小龍 🐉", "li@example.com"]);

        Assert.Equal("name,email\r\nZoë Ünal,zoe@example.com\r\nŞükrü Çağlar,sukru@example.com\r\n李小龍 🐉,li@example.com\r\n", text);
    }

    [Theory]
    [InlineData("=1+2", "'=1+2")]
    [InlineData("+15555550100", "'+15555550100")]
    [InlineData("-5", "'-5")] // also prefixed, by design: the guard does not guess which values are numbers
    [InlineData("@SUM(A1:A2)", "'@SUM(A1:A2)")]
    [InlineData("\tcmd", "'\tcmd")]
    [InlineData("\rcmd", "\"'\rcmd\"")]
    [InlineData("=HYPERLINK(\"http://evil.example\",\"x\")", "\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"x\"\")\"")]
    public async Task Write_FormulaStart_PrefixedWithQuote(string value, string expected)
    {
        var text = await WriteTextAsync([value, "x"]);

        Assert.Equal($"name,email\r\n{expected},x\r\n", text);
    }

    [Theory]
    [InlineData("Jean-Luc Picard")]
    [InlineData("a=b+c")]
    [InlineData("jane@example.com")]
    public async Task Write_OperatorInsideText_Untouched(string value)
    {
        var text = await WriteTextAsync([value, "x"]);

        Assert.Equal($"name,email\r\n{value},x\r\n", text);
    }

    [Fact]
    public async Task Write_FormulaInHeader_PrefixedWithQuote()
    {
        var text = Decode(await TableWriting.WriteAsync(ExportFormat.Csv, ["=cmd", "email"], ["a", "b"]));

        Assert.StartsWith("'=cmd,email\r\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WriteRow_WrongNumberOfValues_Throws()
    {
        await using var writer = TableWriter.Create(ExportFormat.Csv, new AsyncOnlyStream());
        await writer.WriteHeaderAsync(Columns, CancellationToken.None);

        await Assert.ThrowsAsync<ArgumentException>(() => writer.WriteRowAsync(["only one"], CancellationToken.None));
    }

    [Fact]
    public async Task WriteRow_BeforeHeader_Throws()
    {
        await using var writer = TableWriter.Create(ExportFormat.Csv, new AsyncOnlyStream());

        await Assert.ThrowsAsync<InvalidOperationException>(() => writer.WriteRowAsync(["a", "b"], CancellationToken.None));
    }

    private static async Task<string> WriteTextAsync(params IReadOnlyList<string?>[] rows) =>
        Decode(await TableWriting.WriteAsync(ExportFormat.Csv, Columns, rows));

    private static string Decode(byte[] bytes)
    {
        Assert.Equal(Encoding.UTF8.Preamble.ToArray(), bytes[..3]);
        return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes, 3, bytes.Length - 3);
    }
}
