using System.Globalization;

namespace Leadwire.MetaEmulator.Json;

/// <summary>Meta's time formats: ISO with a "+0000" offset on the Graph, unix seconds in webhooks.</summary>
internal static class MetaTime
{
    private static readonly string[] IsoFormats =
    [
        "yyyy-MM-dd'T'HH:mm:sszzz",
        "yyyy-MM-dd'T'HH:mm:sszz",
        "yyyy-MM-dd'T'HH:mm:ssK",
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK",
        "yyyy-MM-dd'T'HH:mm:ss",
        "yyyy-MM-dd",
    ];

    public static string Format(long unixSeconds) =>
        DateTimeOffset.FromUnixTimeSeconds(unixSeconds).ToString("yyyy-MM-dd'T'HH:mm:ss'+0000'", CultureInfo.InvariantCulture);

    /// <summary>The wording Meta uses in token-expiry messages, in UTC.</summary>
    public static string FormatLong(DateTimeOffset time) =>
        time.ToUniversalTime().ToString("dddd, dd-MMM-yy HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);

    public static bool TryParseIso(string text, out DateTimeOffset value)
    {
        // Meta writes "+0000" (no colon), which the round-trip parser rejects; try the explicit shapes first.
        if (DateTimeOffset.TryParseExact(text, IsoFormats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out value))
        {
            return true;
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out value);
    }
}
