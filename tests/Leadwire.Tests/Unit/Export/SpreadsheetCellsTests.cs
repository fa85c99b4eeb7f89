using Leadwire.Features.Export;

namespace Leadwire.Tests.Unit.Export;

public sealed class SpreadsheetCellsTests
{
    [Theory]
    [InlineData("=1+2", "'=1+2")]
    [InlineData("+15555550100", "'+15555550100")]
    [InlineData("-5", "'-5")] // a plain negative number is prefixed too: by design, see SpreadsheetCells
    [InlineData("@SUM(A1:A2)", "'@SUM(A1:A2)")]
    [InlineData("\tcmd", "'\tcmd")]
    [InlineData("\rcmd", "'\rcmd")]
    [InlineData("=HYPERLINK(\"http://evil.example\",\"x\")", "'=HYPERLINK(\"http://evil.example\",\"x\")")]
    public void Neutralise_FormulaStart_PrefixedWithQuote(string value, string expected)
    {
        Assert.Equal(expected, SpreadsheetCells.Neutralise(value));
    }

    [Theory]
    [InlineData("")]
    [InlineData("Jean-Luc")]
    [InlineData("a=b")]
    [InlineData("jane@example.com")]
    [InlineData(" =1")]
    [InlineData("'=1")]
    [InlineData("Zoë Ünal")]
    public void Neutralise_OrdinaryText_Unchanged(string value)
    {
        Assert.Same(value, SpreadsheetCells.Neutralise(value));
    }
}
