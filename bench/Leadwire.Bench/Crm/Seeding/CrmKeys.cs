using System.Text;

namespace Leadwire.Bench.Crm.Seeding;

/// <summary>
/// The search keys of a lead, computed exactly as src/Leadwire.Server/Features/Contacts/ContactKeys.cs does (the
/// bench does not reference the server, so the three rules are repeated here): seeded rows must be found by the
/// server's search the way captured ones are. If ContactKeys changes, change this too.
/// </summary>
public static class CrmKeys
{
    private const int MinPhoneDigits = 6;
    private const int MaxEmailLength = 256;
    private const int MaxPhoneDigits = 32;
    private const int MaxNameLength = 256;

    /// <summary>Trimmed and lower-cased; null when empty or without '@'.</summary>
    public static string? Email(string? email)
    {
        var trimmed = email?.Trim();
        return string.IsNullOrEmpty(trimmed) || !trimmed.Contains('@', StringComparison.Ordinal) || trimmed.Length > MaxEmailLength
            ? null
            : trimmed.ToLowerInvariant();
    }

    /// <summary>Digits only (any script's digits as ASCII), a leading "00" dropped; null under six digits.</summary>
    public static string? Phone(string? phone)
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
                digits.Append((char)('0' + (int)char.GetNumericValue(c)));
            }
        }
        var start = digits.Length >= 2 && digits[0] == '0' && digits[1] == '0' ? 2 : 0;
        var length = digits.Length - start;
        return length is < MinPhoneDigits or > MaxPhoneDigits ? null : digits.ToString(start, length);
    }

    /// <summary>Trimmed, inner whitespace collapsed to one space, lower-cased, cut to 256; null when blank.</summary>
    public static string? Name(string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return null;
        }
        return Cut(string.Join(' ', name.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)).ToLowerInvariant());
    }

    /// <summary>A name as people wrote it, trimmed and cut to the column's size (a contact's name); null when blank.</summary>
    public static string? DisplayName(string? name) => string.IsNullOrWhiteSpace(name) ? null : Cut(name.Trim());

    private static string Cut(string text) =>
        text.Length <= MaxNameLength ? text : char.IsHighSurrogate(text[MaxNameLength - 1]) ? text[..(MaxNameLength - 1)] : text[..MaxNameLength];
}
