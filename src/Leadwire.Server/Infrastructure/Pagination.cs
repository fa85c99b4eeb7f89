using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace Leadwire.Infrastructure;

/// <summary>Keyset cursors: an opaque encoding of the sort key of the last item on a page.</summary>
public static class Cursor
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 500;

    public static string Encode(DateTime time, long id) =>
        Base64Url.EncodeToString(Encoding.ASCII.GetBytes($"{time.Ticks.ToString(CultureInfo.InvariantCulture)}:{id.ToString(CultureInfo.InvariantCulture)}"));

    public static string Encode(long id) =>
        Base64Url.EncodeToString(Encoding.ASCII.GetBytes(id.ToString(CultureInfo.InvariantCulture)));

    public static bool TryDecode(string? cursor, out DateTime time, out long id)
    {
        time = default;
        id = 0;
        if (!TryText(cursor, out var text))
        {
            return false;
        }
        var parts = text.Split(':');
        if (parts.Length != 2
            || !long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
            || !long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out id)
            || ticks > DateTime.MaxValue.Ticks)
        {
            return false;
        }
        time = new DateTime(ticks, DateTimeKind.Utc);
        return true;
    }

    public static bool TryDecode(string? cursor, out long id)
    {
        id = 0;
        return TryText(cursor, out var text) && long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out id);
    }

    private static bool TryText(string? cursor, out string text)
    {
        text = "";
        if (string.IsNullOrEmpty(cursor) || cursor.Length > 200)
        {
            return false;
        }
        try
        {
            text = Encoding.ASCII.GetString(Base64Url.DecodeFromChars(cursor));
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}

/// <summary>The shape of every list: <c>{"items": [...], "next_cursor": ...}</c>.</summary>
public sealed record PagedList<T>(IReadOnlyList<T> Items, string? NextCursor);
