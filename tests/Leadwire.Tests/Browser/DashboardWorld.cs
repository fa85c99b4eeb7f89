using Leadwire.Data;
using Leadwire.Infrastructure;
using Leadwire.MetaEmulator;
using Leadwire.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Leadwire.Tests.Browser;

/// <summary>
/// A dashboard test's world: the emulator and Leadwire on loopback (a registered page with a form), the bootstrap
/// owner with a password, and a browser context. Signs people in through the real sign-in form.
/// </summary>
public sealed class DashboardWorld : IAsyncDisposable
{
    public const string OwnerEmail = "owner@leadwire.local";
    public const string Password = "dashboard-password-1";

    private DashboardWorld(CaptureScenario scenario, IBrowserContext browser)
    {
        Scenario = scenario;
        Browser = browser;
    }

    public CaptureScenario Scenario { get; }
    public LeadwireHost Leadwire => Scenario.Leadwire;
    public MetaEmulatorClient Meta => Scenario.Meta;
    public IBrowserContext Browser { get; }

    public static async Task<DashboardWorld> StartAsync(DatabaseProvider provider = DatabaseProvider.Sqlite, ViewportSize? viewport = null)
    {
        var scenario = await CaptureScenario.StartAsync(provider, settings =>
        {
            settings["Leadwire:Bootstrap:OwnerPassword"] = Password;
            settings["Leadwire:Accounts:LoginAttemptsPerMinute"] = "100";
        });
        var browser = await BrowserSession.NewContextAsync(scenario.Leadwire.BaseUrl, viewport);
        return new DashboardWorld(scenario, browser);
    }

    public async Task<long> WorkspaceIdAsync() =>
        await Leadwire.QueryAsync(db => Task.FromResult(db.Workspaces.OrderBy(w => w.Id).Select(w => w.Id).First()));

    /// <summary>A member with a password, for signing in through the form.</summary>
    public async Task<long> CreateMemberAsync(WorkspaceRole role, string email)
    {
        var (userId, client) = await TestAccounts.CreateMemberAsync(Leadwire, await WorkspaceIdAsync(), role, email);
        client.Dispose();
        await using var scope = Leadwire.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<UserAccount>>();
        var gate = scope.ServiceProvider.GetRequiredService<WriteGate>();
        using (await gate.EnterAsync(CancellationToken.None))
        {
            var user = await users.FindByIdAsync(userId.ToString(System.Globalization.CultureInfo.InvariantCulture));
            var added = await users.AddPasswordAsync(user!, Password);
            Assert.True(added.Succeeded, string.Join(" ", added.Errors.Select(e => e.Description)));
        }
        return userId;
    }

    public Task<IPage> SignInAsync(string email = OwnerEmail) => SignInAsync(Browser, email);

    /// <summary>Signs in through the form in <paramref name="browser"/>, which may point at another instance.</summary>
    public static async Task<IPage> SignInAsync(IBrowserContext browser, string email = OwnerEmail)
    {
        ArgumentNullException.ThrowIfNull(browser);
        var page = await browser.NewPageAsync();
        await page.GotoAsync("/");
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/login"));
        await page.GetByLabel("Email").FillAsync(email);
        await page.GetByLabel("Password").FillAsync(Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Leads", Exact = true })).ToBeVisibleAsync();
        await BrowserSession.WaitForInteractiveAsync(page);
        return page;
    }

    /// <summary>A lead created in the emulator and announced by its webhook, as Meta does.</summary>
    public Task<LeadView> SendLeadAsync(string? campaignId = null) => Meta.CreateLeadAsync(new CreateLeadRequest
    {
        FormId = Scenario.Form.Id,
        Deliver = true,
        CampaignId = campaignId,
        CampaignName = campaignId is null ? null : $"Campaign {campaignId}",
    });

    public async ValueTask DisposeAsync()
    {
        await Browser.DisposeAsync();
        await Scenario.DisposeAsync();
    }
}
