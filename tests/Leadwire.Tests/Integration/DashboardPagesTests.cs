using System.Net;
using System.Net.Http.Headers;
using Leadwire.Infrastructure;
using Leadwire.Tests.Infrastructure;

namespace Leadwire.Tests.Integration;

/// <summary>The dashboard's pages over plain HTTP: where anonymous visitors go, and errors in words for browsers.</summary>
public sealed class DashboardPagesTests
{
    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task AnonymousVisitor_PagesRedirectToSignIn_ApiStill401(DatabaseProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var host = await LeadwireHost.StartAsync(database, null, s => s["Leadwire:Bootstrap:OwnerPassword"] = "owner-password-1");
        using var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = host.BaseUrl };

        using var leads = await browser.GetAsync("/leads/12?x=1");
        Assert.Equal(HttpStatusCode.Redirect, leads.StatusCode);
        Assert.Equal("/login?returnUrl=%2Fleads%2F12%3Fx%3D1", leads.Headers.Location!.PathAndQuery);

        using var login = await browser.GetAsync("/login");
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        Assert.Contains("action=\"/account/login\"", await login.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // Someone can sign in already: the first-run form is closed.
        using var setup = await browser.GetAsync("/setup");
        Assert.Equal(HttpStatusCode.Redirect, setup.StatusCode);
        Assert.EndsWith("/login", setup.Headers.Location!.OriginalString, StringComparison.Ordinal);

        using var api = await browser.GetAsync("/api/v1/leads");
        Assert.Equal(HttpStatusCode.Unauthorized, api.StatusCode);
    }

    [Fact]
    public async Task Browser_UnknownPageOrFormWithoutToken_AnswersInWords_ApiKeepsProblemJson()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using var host = await LeadwireHost.StartAsync(database, null);
        using var browser = new HttpClient { BaseAddress = host.BaseUrl };
        browser.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("text/html"));

        using var missing = await browser.GetAsync("/no-such-page");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("text/html", missing.Content.Headers.ContentType!.MediaType);
        Assert.Contains("Page not found", await missing.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // A form posted without its antiforgery token (a stale page, or another site) is refused, in words.
        using var forged = await browser.PostAsync("/account/login", new FormUrlEncodedContent(new Dictionary<string, string> { ["email"] = "a@example.com", ["password"] = "x" }));
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Contains("The form could not be sent", await forged.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using var api = await host.Anonymous.GetAsync("/api/v1/no-such-endpoint");
        Assert.Equal(HttpStatusCode.NotFound, api.StatusCode);
        Assert.Equal("application/problem+json", api.Content.Headers.ContentType!.MediaType);
    }
}
