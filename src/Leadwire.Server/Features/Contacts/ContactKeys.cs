using System.Text;

namespace Leadwire.Features.Contacts;

/// <summary>
/// The normalised forms of an email, a phone number and a name: what search compares and what links leads of the
/// same person to one contact. Deliberately conservative: two leads share a contact only when these forms are equal.
/// </summary>
public static class ContactKeys
{
    /// <summary>Fewer digits than this cannot identify anyone (extensions, typos, "n/a" with a digit).</summary>
    private const int MinPhoneDigits = 6;

    /// <summary>
    /// The key columns' sizes (leads and contacts). Longer input is not a real address or number (E.164 allows 15
    /// digits), and a key that does not fit would fail the lead's insert, so it yields no key.
    /// </summary>
    public const int MaxEmailLength = 256;
    public const int MaxPhoneDigits = 32;
    public const int MaxNameLength = 256;

    /// <summary>Trimmed and lower-cased; null when empty or without '@'.</summary>
    public static string? NormaliseEmail(string? email)
    {
        var trimmed = email?.Trim();
        if (string.IsNullOrEmpty(trimmed) || !trimmed.Contains('@', StringComparison.Ordinal) || trimmed.Length > MaxEmailLength)
        {
            return null;
        }
        // Dots and "+tags" are left alone: only some providers (Gmail) ignore them, and merging two different
        // people's mailboxes into one contact is worse than missing a link.
        return trimmed.ToLowerInvariant();
    }

    /// <summary>
    /// Digits only, with a leading "00" international prefix dropped so that "0044…" and "+44…" agree; null when
    /// fewer than six digits remain.
    /// </summary>
    public static string? NormalisePhone(string? phone)
    {
        if (string.IsNullOrEmpty(phone))
        {
            return null;
        }

        var digits = new StringBuilder(phone.Length);
        foreach (var c in phone)
        {
            if (char.IsDigit(c))
            {
                // Leads typed on Arabic or Persian keyboards carry non-ASCII digits; they are the same number.
                digits.Append((char)('0' + (int)char.GetNumericValue(c)));
            }
        }

        var start = digits.Length >= 2 && digits[0] == '0' && digits[1] == '0' ? 2 : 0;
        var length = digits.Length - start;
        return length is < MinPhoneDigits or > MaxPhoneDigits ? null : digits.ToString(start, length);
    }

    /// <summary>
    /// Trimmed, inner whitespace collapsed to one space, lower-cased; null when blank. Diacritics are kept: "Çelik"
    /// and "Celik" are different names, and users search with the letters they see.
    /// </summary>
    public static string? NormaliseName(string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return null;
        }
        var words = name.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        var normalised = string.Join(' ', words).ToLowerInvariant();
        // Search matches names by prefix, so a cut-off name is still found by what people type.
        return Cut(normalised, MaxNameLength);
    }

    /// <summary>A name as people wrote it, trimmed and cut to the column's size; null when blank.</summary>
    public static string? DisplayName(string? name) => string.IsNullOrWhiteSpace(name) ? null : Cut(name.Trim(), MaxNameLength);

    /// <summary>At most <paramref name="max"/> UTF-16 units, never splitting a surrogate pair.</summary>
    private static string Cut(string text, int max)
    {
        if (text.Length <= max)
        {
            return text;
        }
        return char.IsHighSurrogate(text[max - 1]) ? text[..(max - 1)] : text[..max];
    }

    /// <summary>
    /// Decides what a search box string is: an email when it has '@'; a phone when, without spaces and the
    /// punctuation people put in numbers (+ ( ) - .), it is six or more digits and nothing else; a name otherwise.
    /// </summary>
    public static SearchTerm Classify(string q)
    {
        ArgumentNullException.ThrowIfNull(q);

        if (q.Contains('@', StringComparison.Ordinal))
        {
            return new SearchTerm(SearchTermKind.Email, NormaliseEmail(q) ?? q.Trim().ToLowerInvariant());
        }

        if (LooksLikePhone(q) && NormalisePhone(q) is { } phone)
        {
            return new SearchTerm(SearchTermKind.Phone, phone);
        }

        return new SearchTerm(SearchTermKind.Name, NormaliseName(q) ?? string.Empty);
    }

    private static bool LooksLikePhone(string q)
    {
        var digits = 0;
        foreach (var c in q)
        {
            if (char.IsDigit(c))
            {
                digits++;
            }
            else if (!char.IsWhiteSpace(c) && c is not ('+' or '(' or ')' or '-' or '.'))
            {
                return false;
            }
        }
        return digits >= MinPhoneDigits;
    }
}

/// <summary>What a search string was recognised as.</summary>
public enum SearchTermKind
{
    Name,
    Email,
    Phone,
}

/// <summary>A classified search string and its normalised value, comparable with the stored keys of that kind.</summary>
public sealed record SearchTerm(SearchTermKind Kind, string Value);
