using System.Buffers.Binary;
using System.Buffers.Text;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Leadwire.MetaEmulator.State;

namespace Leadwire.MetaEmulator.Graph;

/// <summary>Inclusive created_time bounds in unix seconds.</summary>
internal readonly record struct TimeRange(long Min, long Max)
{
    public static TimeRange All { get; } = new(long.MinValue, long.MaxValue);
}

/// <summary>Items [Start, End) of an ascending array, shown newest first.</summary>
internal readonly record struct PageSlice(int Start, int End, bool HasOlder, bool HasNewer)
{
    public int Count => End - Start;
}

internal readonly record struct PagingRequest(int Limit, CreationKey? After, CreationKey? Before);

/// <summary>
/// Cursor paging over items sorted ascending by (created_time, id), returned newest first. A cursor is the
/// (created_time, id) of the item at the page edge, so leads created while a client pages do not shift its pages.
/// </summary>
internal static class KeysetPaging
{
    public const int DefaultLimit = 25;
    public const int MaxLimit = 100;

    public static PageSlice Slice<T>(ReadOnlySpan<T> items, TimeRange range, PagingRequest paging)
        where T : ICreationOrdered
    {
        var low = range.Min == long.MinValue ? 0 : SortedSearch.FirstAtOrAfter(items, range.Min);
        var high = range.Max == long.MaxValue ? items.Length : SortedSearch.FirstAtOrAfter(items, range.Max + 1);
        high = Math.Max(low, high);
        int start, end;
        if (paging.Before is { } before)
        {
            start = Math.Clamp(SortedSearch.UpperBound(items, before), low, high);
            end = Math.Min(high, start + paging.Limit);
        }
        else
        {
            end = paging.After is { } after ? Math.Clamp(SortedSearch.LowerBound(items, after), low, high) : high;
            start = Math.Max(low, end - paging.Limit);
        }

        return new PageSlice(start, end, start > low, end < high);
    }

    public static GraphError? TryRead(GraphParams parameters, out PagingRequest paging)
    {
        paging = default;
        var limit = DefaultLimit;
        if (parameters.Get("limit") is { } limitText)
        {
            if (!int.TryParse(limitText, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit < 1)
            {
                return GraphErrors.InvalidParameter("Param limit must be a positive integer");
            }

            limit = Math.Min(limit, MaxLimit);
        }

        CreationKey? after = null, before = null;
        if (parameters.Get("after") is { Length: > 0 } afterText)
        {
            if (!TryDecode(afterText, out var key))
            {
                return GraphErrors.InvalidParameter("Invalid cursor for param after");
            }

            after = key;
        }

        if (parameters.Get("before") is { Length: > 0 } beforeText)
        {
            if (!TryDecode(beforeText, out var key))
            {
                return GraphErrors.InvalidParameter("Invalid cursor for param before");
            }

            before = key;
        }

        paging = new PagingRequest(limit, after, before);
        return null;
    }

    /// <summary>Writes "paging" (cursors, next, previous) for a non-empty page.</summary>
    public static void WritePaging(Utf8JsonWriter writer, HttpRequest request, CreationKey newest, CreationKey oldest, PageSlice slice)
    {
        var before = Encode(newest);
        var after = Encode(oldest);
        writer.WriteStartObject("paging");
        writer.WriteStartObject("cursors");
        writer.WriteString("before", before);
        writer.WriteString("after", after);
        writer.WriteEndObject();
        if (slice.HasOlder)
        {
            writer.WriteString("next", PageUrl(request, "after", after));
        }

        if (slice.HasNewer)
        {
            writer.WriteString("previous", PageUrl(request, "before", before));
        }

        writer.WriteEndObject();
    }

    public static string Encode(CreationKey key)
    {
        Span<byte> bytes = stackalloc byte[16];
        BinaryPrimitives.WriteInt64BigEndian(bytes, key.Time);
        BinaryPrimitives.WriteInt64BigEndian(bytes[8..], key.Id);
        return Base64Url.EncodeToString(bytes);
    }

    public static bool TryDecode(string cursor, out CreationKey key)
    {
        key = default;
        Span<byte> bytes = stackalloc byte[24];
        if (!Base64Url.TryDecodeFromChars(cursor, bytes, out var written) || written != 16)
        {
            return false;
        }

        key = new CreationKey(BinaryPrimitives.ReadInt64BigEndian(bytes), BinaryPrimitives.ReadInt64BigEndian(bytes[8..]));
        return true;
    }

    /// <summary>The same request (scheme, host, path, every parameter) with the cursor replaced.</summary>
    private static string PageUrl(HttpRequest request, string cursorName, string cursor)
    {
        var url = new StringBuilder(256)
            .Append(request.Scheme).Append("://").Append(request.Host.Value)
            .Append(request.PathBase.Value).Append(request.Path.Value).Append('?');
        foreach (var (name, values) in request.Query)
        {
            if (name is "after" or "before")
            {
                continue;
            }

            foreach (var value in values)
            {
                url.Append(Uri.EscapeDataString(name)).Append('=').Append(Uri.EscapeDataString(value ?? string.Empty)).Append('&');
            }
        }

        return url.Append(cursorName).Append('=').Append(cursor).ToString();
    }
}
