namespace Leadwire.Features.Leads;

/// <summary>The one form a tag is stored and compared in, so "VIP " and "vip" are the same tag.</summary>
public static class TagName
{
    public const int MaxLength = 64;

    public const string Rule = "A tag is 1 to 64 characters after trimming; it is stored lower-cased.";

    /// <summary>Trimmed and lower-cased; null when empty or longer than <see cref="MaxLength"/>.</summary>
    public static string? Normalise(string? tag)
    {
        var trimmed = tag?.Trim();
        return string.IsNullOrEmpty(trimmed) || trimmed.Length > MaxLength ? null : trimmed.ToLowerInvariant();
    }
}
