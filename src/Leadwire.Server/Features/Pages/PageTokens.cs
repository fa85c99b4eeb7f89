using Microsoft.AspNetCore.DataProtection;

namespace Leadwire.Features.Pages;

/// <summary>Encrypts page access tokens at rest with Data Protection. The plain token exists only in memory.</summary>
public sealed class PageTokens(IDataProtectionProvider provider)
{
    private readonly IDataProtector _protector = provider.CreateProtector("Leadwire.Pages.AccessToken.v1");

    public string Protect(string accessToken) => _protector.Protect(accessToken);

    public string Unprotect(string protectedToken) => _protector.Unprotect(protectedToken);
}
