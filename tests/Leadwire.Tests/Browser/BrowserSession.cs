using Microsoft.Playwright;

namespace Leadwire.Tests.Browser;

/// <summary>
/// One headless Chromium (Debian's, at /usr/bin/chromium, which scripts/test.sh installs) for the whole run; each test
/// gets a fresh browser context of its own, so no cookie or storage leaks between tests.
/// </summary>
public static class BrowserSession
{
    public const string ChromiumPath = "/usr/bin/chromium";

    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static IPlaywright? _playwright;
    private static IBrowser? _browser;

    static BrowserSession()
    {
        // Blazor pages take a moment to connect their circuit on a busy 2-core machine.
        Assertions.SetDefaultExpectTimeout(20_000);
    }

    public static async Task<IBrowserContext> NewContextAsync(Uri baseUrl, ViewportSize? viewport = null)
    {
        ArgumentNullException.ThrowIfNull(baseUrl);
        await Gate.WaitAsync();
        try
        {
            if (!File.Exists(ChromiumPath))
            {
                throw new InvalidOperationException($"Chromium is missing at {ChromiumPath}. Run the suite with 'bash scripts/test.sh', which installs it.");
            }
            _playwright ??= await Playwright.CreateAsync();
            _browser ??= await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = ChromiumPath,
                Headless = true,
                // Root in CI has no user namespace for Chromium's sandbox; /dev/shm may be small in containers.
                Args = ["--no-sandbox", "--disable-dev-shm-usage"],
            });
        }
        finally
        {
            Gate.Release();
        }
        var context = await _browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = baseUrl.ToString().TrimEnd('/'),
            ViewportSize = viewport ?? new ViewportSize { Width = 1280, Height = 900 },
            AcceptDownloads = true,
        });
        context.SetDefaultTimeout(20_000);
        return context;
    }

    /// <summary>Saves what the page shows under the test output's screenshots folder, named after the test.</summary>
    public static async Task<string> ScreenshotAsync(IPage page, string name)
    {
        ArgumentNullException.ThrowIfNull(page);
        var folder = Path.Combine(AppContext.BaseDirectory, "screenshots");
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, name + ".png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        return path;
    }

    /// <summary>Waits until the page's interactive circuit is connected, so clicks reach .NET rather than the prerendered HTML.</summary>
    public static Task WaitForInteractiveAsync(IPage page) =>
        Assertions.Expect(page.Locator("[data-interactive=true]").First).ToBeAttachedAsync();
}
