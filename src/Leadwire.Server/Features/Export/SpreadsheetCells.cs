namespace Leadwire.Features.Export;

/// <summary>
/// Keeps spreadsheet apps from running lead data as formulas (CSV injection, OWASP). Lead answers are typed by
/// strangers in an ad form, so a name like <c>=HYPERLINK(...)</c> must open as text, not as a live formula.
/// </summary>
public static class SpreadsheetCells
{
    /// <summary>
    /// Returns <paramref name="value"/> prefixed with <c>'</c> when it starts with <c>=</c>, <c>+</c>, <c>-</c>,
    /// <c>@</c>, tab or carriage return; otherwise returns it unchanged.
    /// </summary>
    /// <remarks>
    /// Harmless values such as <c>-5</c> or <c>+15555550100</c> are prefixed too: telling a number from a formula
    /// is what the spreadsheet would do, and guessing wrong in our favour is the point. Only used for CSV and XLSX;
    /// JSON lines are read by programs and keep the exact value.
    /// </remarks>
    public static string Neutralise(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return value.Length > 0 && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r' ? "'" + value : value;
    }
}
