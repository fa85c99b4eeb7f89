using System.Globalization;

namespace Leadwire.Features.Export;

/// <summary>
/// Times in exports: written as ISO-8601 UTC with the fraction's trailing zeros dropped ("2026-01-05T10:30:00Z",
/// "2026-01-05T10:30:00.25Z"), and read back from SQLite's text form ("2026-01-05 10:30:00.25"). A million-lead
/// export formats one to five of them per lead; the general custom-format parser and formatter were a few percent of
/// its CPU, so both fixed shapes are handled here by position, with the general ones as the fallback.
/// </summary>
public static class ExportTime
{
    private const string Shape = "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'";

    /// <summary>The export's text of a UTC time (a time of another kind is taken as UTC, as the database holds it).</summary>
    public static string Format(DateTime value)
    {
        Span<char> text = stackalloc char[28];
        // "O" of a UTC time: yyyy-MM-ddTHH:mm:ss.fffffffZ, always 28 characters.
        if (!DateTime.SpecifyKind(value, DateTimeKind.Utc).TryFormat(text, out var written, "O", CultureInfo.InvariantCulture) || written != 28)
        {
            return value.ToString(Shape, CultureInfo.InvariantCulture);
        }
        var end = 27;
        while (end > 20 && text[end - 1] == '0')
        {
            end--;
        }
        if (end == 20)
        {
            // No fraction at all: no decimal point either.
            end = 19;
        }
        text[end] = 'Z';
        return new string(text[..(end + 1)]);
    }

    /// <summary>Reads EF Core's SQLite text of a time, "yyyy-MM-dd HH:mm:ss" with an optional fraction of up to 7 digits.</summary>
    public static bool TryParseStored(ReadOnlySpan<char> text, out DateTime value)
    {
        value = default;
        if (text.Length < 19 || text[4] != '-' || text[7] != '-' || text[10] != ' ' || text[13] != ':' || text[16] != ':')
        {
            return false;
        }
        if (!Digits(text[..4], out var year) || !Digits(text[5..7], out var month) || !Digits(text[8..10], out var day)
            || !Digits(text[11..13], out var hour) || !Digits(text[14..16], out var minute) || !Digits(text[17..19], out var second))
        {
            return false;
        }
        long fraction = 0;
        if (text.Length > 19)
        {
            var digits = text[20..];
            if (text[19] != '.' || digits.Length is 0 or > 7 || !Digits(digits, out var raw))
            {
                return false;
            }
            fraction = raw;
            for (var i = digits.Length; i < 7; i++)
            {
                fraction *= 10;
            }
        }
        if (year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month) || hour > 23 || minute > 59 || second > 59)
        {
            return false;
        }
        value = new DateTime(year, month, day, hour, minute, second, DateTimeKind.Utc).AddTicks(fraction);
        return true;
    }

    private static bool Digits(ReadOnlySpan<char> text, out int value)
    {
        value = 0;
        foreach (var c in text)
        {
            if (c is < '0' or > '9')
            {
                return false;
            }
            value = (value * 10) + (c - '0');
        }
        return true;
    }
}
