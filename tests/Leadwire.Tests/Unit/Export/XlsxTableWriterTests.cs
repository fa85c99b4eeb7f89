using System.IO.Compression;
using System.Xml.Linq;
using Leadwire.Features.Export;

namespace Leadwire.Tests.Unit.Export;

public sealed class XlsxTableWriterTests
{
    private static readonly XNamespace Main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
    private static readonly XNamespace ContentTypes = "http://schemas.openxmlformats.org/package/2006/content-types";
    private static readonly XNamespace Relationships = "http://schemas.openxmlformats.org/package/2006/relationships";
    private static readonly string[] Columns = ["full_name", "email"];

    [Fact]
    public async Task Write_AnyTable_HasEveryPackagePart()
    {
        using var package = await WritePackageAsync(["Jane Doe", "jane@example.com"]);

        Assert.Equal(
            ["[Content_Types].xml", "_rels/.rels", "xl/_rels/workbook.xml.rels", "xl/styles.xml", "xl/workbook.xml", "xl/worksheets/sheet1.xml"],
            package.Entries.Select(e => e.FullName).Order(StringComparer.Ordinal));
        foreach (var entry in package.Entries)
        {
            // Every part must be well-formed XML; reading to the end also checks each part's CRC.
            using var stream = entry.Open();
            Assert.NotNull(XDocument.Load(stream).Root);
        }
    }

    [Fact]
    public async Task Write_AnyTable_ContentTypesDeclareWorkbookSheetAndStyles()
    {
        using var package = await WritePackageAsync(["Jane Doe", "jane@example.com"]);

        var types = Load(package, "[Content_Types].xml").Root!;
        var overrides = types.Elements(ContentTypes + "Override").ToDictionary(o => (string)o.Attribute("PartName")!, o => (string)o.Attribute("ContentType")!);
        Assert.Equal("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml", overrides["/xl/workbook.xml"]);
        Assert.Equal("application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml", overrides["/xl/worksheets/sheet1.xml"]);
        Assert.Equal("application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml", overrides["/xl/styles.xml"]);
        var defaults = types.Elements(ContentTypes + "Default").ToDictionary(d => (string)d.Attribute("Extension")!, d => (string)d.Attribute("ContentType")!);
        Assert.Equal("application/vnd.openxmlformats-package.relationships+xml", defaults["rels"]);
    }

    [Fact]
    public async Task Write_AnyTable_RelationshipsLeadFromPackageToSheet()
    {
        using var package = await WritePackageAsync(["Jane Doe", "jane@example.com"]);

        var officeDocument = Load(package, "_rels/.rels").Root!.Element(Relationships + "Relationship")!;
        Assert.Equal("xl/workbook.xml", (string)officeDocument.Attribute("Target")!);
        var sheet = Load(package, "xl/workbook.xml").Root!.Descendants(Main + "sheet").Single();
        XNamespace r = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
        var sheetRelationshipId = (string)sheet.Attribute(r + "id")!;
        var target = Load(package, "xl/_rels/workbook.xml.rels").Root!.Elements(Relationships + "Relationship")
            .Single(e => (string)e.Attribute("Id")! == sheetRelationshipId);
        Assert.Equal("worksheets/sheet1.xml", (string)target.Attribute("Target")!);
    }

    [Fact]
    public async Task Write_Rows_HeaderFirstThenCellsAsInlineStrings()
    {
        using var package = await WritePackageAsync(["Zoë Ünal", "zoe@example.com"], ["Şükrü Çağlar", null], ["李小龍 🐉", "li@example.com"]);

        var rows = ReadRows(package);
        Assert.Equal(4, rows.Count);
        Assert.Equal(new Dictionary<string, string> { ["A1"] = "full_name", ["B1"] = "email" }, rows[0]);
        Assert.Equal(new Dictionary<string, string> { ["A2"] = "Zoë Ünal", ["B2"] = "zoe@example.com" }, rows[1]);
        Assert.Equal(new Dictionary<string, string> { ["A3"] = "Şükrü Çağlar" }, rows[2]);
        Assert.Equal(new Dictionary<string, string> { ["A4"] = "李小龍 🐉", ["B4"] = "li@example.com" }, rows[3]);
        var cells = Load(package, "xl/worksheets/sheet1.xml").Descendants(Main + "c").ToList();
        Assert.All(cells, c => Assert.Equal("inlineStr", (string?)c.Attribute("t")));
        Assert.All(cells.Take(2), c => Assert.Equal("1", (string?)c.Attribute("s")));
        Assert.All(cells.Skip(2), c => Assert.Null(c.Attribute("s")));
    }

    [Theory]
    [InlineData("=1+2", "'=1+2")]
    [InlineData("+15555550100", "'+15555550100")]
    [InlineData("-5", "'-5")] // also prefixed, by design: the guard does not guess which values are numbers
    [InlineData("@SUM(A1:A2)", "'@SUM(A1:A2)")]
    [InlineData("\tcmd", "'\tcmd")]
    [InlineData("\rcmd", "'\rcmd")]
    [InlineData("Jean-Luc a=b", "Jean-Luc a=b")]
    public async Task Write_FormulaStart_PrefixedWithQuote(string value, string expected)
    {
        using var package = await WritePackageAsync([value, "x"]);

        Assert.Equal(expected, ReadRows(package)[1]["A2"]);
    }

    [Theory]
    [InlineData("a & b <c> \"d\" 'e'", "a & b <c> \"d\" 'e'")]
    [InlineData("line one\r\nline two\nthree", "line one\r\nline two\nthree")]
    [InlineData("  padded  ", "  padded  ")]
    [InlineData("bell\u0007 and nul\0 gone", "bell and nul gone")]
    [InlineData("\uffff\ufffe", null)]
    public async Task Write_AwkwardText_EscapedOrInvalidXmlDropped(string value, string? expected)
    {
        using var package = await WritePackageAsync([value, "x"]);

        var row = ReadRows(package)[1];
        Assert.Equal(expected, row.GetValueOrDefault("A2"));
        Assert.Equal("x", row["B2"]);
    }

    [Fact]
    public async Task Write_LoneSurrogates_DroppedButPairsKept()
    {
        // Built here, not in an attribute: attribute strings are stored as UTF-8, which turns a lone surrogate into U+FFFD.
        var value = "lone " + '\ud800' + " high, lone " + '\udc00' + " low, pair 🐉";

        using var package = await WritePackageAsync([value, "x"]);

        Assert.Equal("lone  high, lone  low, pair 🐉", ReadRows(package)[1]["A2"]);
    }

    [Fact]
    public async Task Write_TwentySevenColumns_LettersRollOverToAA()
    {
        var columns = Enumerable.Range(1, 27).Select(i => $"q{i}").ToArray();
        var bytes = await TableWriting.WriteAsync(ExportFormat.Xlsx, columns, columns);
        using var package = new ZipArchive(new MemoryStream(bytes), ZipArchiveMode.Read);

        var row = ReadRows(package)[1];
        Assert.Equal("q26", row["Z2"]);
        Assert.Equal("q27", row["AA2"]);
    }

    [Fact]
    public async Task Write_SameRowsTwice_IdenticalBytes()
    {
        var first = await TableWriting.WriteAsync(ExportFormat.Xlsx, Columns, ["Jane Doe", "jane@example.com"]);
        var second = await TableWriting.WriteAsync(ExportFormat.Xlsx, Columns, ["Jane Doe", "jane@example.com"]);

        Assert.Equal(first, second);
    }

    private static async Task<ZipArchive> WritePackageAsync(params IReadOnlyList<string?>[] rows)
    {
        var bytes = await TableWriting.WriteAsync(ExportFormat.Xlsx, Columns, rows);
        return new ZipArchive(new MemoryStream(bytes), ZipArchiveMode.Read);
    }

    private static XDocument Load(ZipArchive package, string path)
    {
        using var stream = package.GetEntry(path)!.Open();
        return XDocument.Load(stream);
    }

    /// <summary>Each row of sheet1 as cell reference → text, in row order.</summary>
    private static List<Dictionary<string, string>> ReadRows(ZipArchive package)
    {
        var sheetData = Load(package, "xl/worksheets/sheet1.xml").Root!.Element(Main + "sheetData")!;
        return [.. sheetData.Elements(Main + "row").Select(row => row.Elements(Main + "c").ToDictionary(
            c => (string)c.Attribute("r")!,
            c => (string)c.Element(Main + "is")!.Element(Main + "t")!))];
    }
}
