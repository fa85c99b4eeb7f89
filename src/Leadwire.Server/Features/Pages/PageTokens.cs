using System.Collections.Concurrent;
using Microsoft.AspNetCore.DataProtection;

namespace Leadwire.Features.Pages;

/// <summary>Encrypts page access tokens at rest with Data Protection. The plain token exists only in memory.</summary>
public sealed class PageTokens(IDataProtectionProvider provider)
{
    /// <summary>More protected tokens than any install has pages; past it the cache starts over.</summary>
    private const int CacheLimit = 4096;

    private readonly IDataProtector _protector = provider.CreateProtector("Leadwire.Pages.AccessToken.v1");

    // Keyed by the ciphertext itself, so a new token (a new ciphertext) can never be answered with an old one, on
    // this instance or any other. Every lead fetch needs its page's token; decrypting it each time was measurable.
    private readonly ConcurrentDictionary<string, string> _plain = new(StringComparer.Ordinal);

    public string Protect(string accessToken) => _protector.Protect(accessToken);

    public string Unprotect(string protectedToken)
    {
        if (_plain.TryGetValue(protectedToken, out var token))
        {
            return token;
        }
        token = _protector.Unprotect(protectedToken);
        if (_plain.Count >= CacheLimit)
        {
            _plain.Clear();
        }
        _plain[protectedToken] = token;
        return token;
    }
}
