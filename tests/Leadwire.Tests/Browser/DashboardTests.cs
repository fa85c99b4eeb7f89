using System.Diagnostics;
using System.Text.RegularExpressions;
using Leadwire.Data;
using Leadwire.Features.Leads;
using Leadwire.Infrastructure;
using Leadwire.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Leadwire.Tests.Browser;

/// <summary>
/// The dashboard in a real Chromium against a real Leadwire and emulator on loopback (issue 4's browser tests).
/// One collection: each test runs a whole server and a browser, which the 2-core machine runs best one at a time.
/// </summary>
[Collection("Browser")]
public sealed class DashboardTests
{
    [Fact]
    public async Task DemoMode_FirstRunSetupThenSendTestLead_LeadAppearsWithoutReload()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        var settings = database.Settings.ToDictionary(p => p.Key, p => (string?)p.Value);
        settings["Logging:LogLevel:Default"] = "Warning";
        await using var server = await ServerProcess.StartAsync(settings);
        await using var browser = await BrowserSession.NewContextAsync(server.BaseUrl);
        try
        {
            await FirstRunThenTestLeadAsync(await browser.NewPageAsync());
        }
        catch (PlaywrightException e)
        {
            // The server's own log says why a page failed; the browser only sees "Something went wrong".
            throw new InvalidOperationException($"{e.Message}\n--- server output ---\n{server.Output}", e);
        }
    }

    private static async Task FirstRunThenTestLeadAsync(IPage page)
    {

        // An empty install sends its first visitor to the setup form.
        await page.GotoAsync("/");
        await Expect(page).ToHaveURLAsync(new Regex("/setup$"));
        await page.GetByLabel("Your email").FillAsync("founder@example.com");
        await page.GetByLabel("Password (at least 10 characters)").FillAsync("a-long-password-1");
        await page.GetByLabel("Workspace name").FillAsync("Demo Motors");
        await page.GetByLabel("Time zone").FillAsync("Europe/Istanbul");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create account and workspace" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Leads", Exact = true })).ToBeVisibleAsync();
        await Expect(page.GetByTestId("workspace-name")).ToHaveTextAsync("Demo Motors");
        await Expect(page.GetByTestId("leads-empty")).ToContainTextAsync("Send test lead");
        await BrowserSession.WaitForInteractiveAsync(page);

        await page.GetByTestId("send-test-lead").ClickAsync();
        var row = page.Locator("[data-testid=leads-table] tbody tr");
        await Expect(row).ToHaveCountAsync(1);
        await Expect(row.First).ToContainTextAsync("new");
        await BrowserSession.ScreenshotAsync(page, nameof(DemoMode_FirstRunSetupThenSendTestLead_LeadAppearsWithoutReload));

        // The setup's owner signs in with the password it chose; the form is closed now.
        await page.GotoAsync("/setup");
        await Expect(page).ToHaveURLAsync(new Regex("/$"));
    }

    [Fact]
    public async Task SignIn_LeadArrivesFromMeta_AppearsLiveThenStatusChangeIsSaved()
    {
        await using var world = await DashboardWorld.StartAsync();
        var page = await world.SignInAsync();
        await Expect(page.GetByTestId("leads-empty")).ToBeVisibleAsync();

        var clock = Stopwatch.StartNew();
        var sent = await world.SendLeadAsync();
        var row = page.Locator($"tr[data-meta-lead-id='{sent.Id}']");
        await Expect(row).ToBeVisibleAsync();
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(15), $"the lead took {clock.Elapsed.TotalSeconds:0.0}s to appear");

        await row.GetByRole(AriaRole.Link).ClickAsync();
        await Expect(page.GetByTestId("lead-name")).ToBeVisibleAsync();
        await BrowserSession.WaitForInteractiveAsync(page);
        await Expect(page.GetByTestId("answers")).ToContainTextAsync("@");
        // Only the moves the workflow allows from "new" are offered.
        var options = await page.GetByTestId("status-select").Locator("option").AllTextContentsAsync();
        Assert.Equal(LeadWorkflow.AllowedFrom(LeadStatus.New, WorkspaceRole.Owner).Select(LeadWorkflow.Name), options);
        Assert.DoesNotContain("new", options);

        await page.GetByTestId("status-select").SelectOptionAsync("contacted");
        await page.GetByTestId("status-apply").ClickAsync();
        await Expect(page.GetByTestId("lead-name").Locator("[data-status]")).ToHaveTextAsync("contacted");
        await Expect(page.GetByTestId("timeline")).ToContainTextAsync("Status new → contacted");
        await page.GetByLabel("Note").FillAsync("Called, wants a test drive on Saturday");
        await page.GetByTestId("add-note").ClickAsync();
        await Expect(page.GetByTestId("timeline")).ToContainTextAsync("Note: Called, wants a test drive on Saturday");
        await BrowserSession.ScreenshotAsync(page, nameof(SignIn_LeadArrivesFromMeta_AppearsLiveThenStatusChangeIsSaved));

        var stored = await world.Leadwire.QueryAsync(db => db.Leads.AsNoTracking().SingleAsync(l => l.MetaLeadId == sent.Id));
        Assert.Equal(LeadStatus.Contacted, stored.Status);
        Assert.NotNull(stored.ContactedAt);
        var audit = await world.Leadwire.QueryAsync(db => db.LeadEvents.AsNoTracking().Where(e => e.LeadId == stored.Id).Select(e => e.Type).ToListAsync());
        Assert.Contains(LeadEventTypes.StatusChanged, audit);
        Assert.Contains(LeadEventTypes.Note, audit);
    }

    [Fact]
    public async Task SignIn_WrongPassword_SaysSoInWords()
    {
        await using var world = await DashboardWorld.StartAsync();
        var page = await world.Browser.NewPageAsync();
        await page.GotoAsync("/login");
        await page.GetByLabel("Email").FillAsync(DashboardWorld.OwnerEmail);
        await page.GetByLabel("Password").FillAsync("not-the-password");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(page.GetByTestId("login-error")).ToHaveTextAsync("The email or password is not correct.");
        await BrowserSession.ScreenshotAsync(page, nameof(SignIn_WrongPassword_SaysSoInWords));
    }

    [Fact]
    public async Task BulkAssign_AllMatchingAFilter_AssignsEveryMatchingLeadThenExportHasTheirRows()
    {
        await using var world = await DashboardWorld.StartAsync();
        var agentId = await world.CreateMemberAsync(WorkspaceRole.Agent, "agent.alex@example.com");
        // 60 leads of campaign A (more than one page of 50) and 5 of campaign B, which the filter leaves out.
        for (var i = 0; i < 65; i++)
        {
            await world.SendLeadAsync(i < 60 ? "111" : "222");
        }
        await Eventually.ReturnsAsync(() => world.Leadwire.QueryAsync(db => db.Leads.CountAsync()), n => n == 65, TimeSpan.FromSeconds(60), "65 stored leads");

        var page = await world.SignInAsync();
        await page.GetByText("Filters and search").ClickAsync();
        await page.GetByLabel("Campaign id").FillAsync("111");
        await page.GetByTestId("apply-filters").ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("campaign_id=111"));
        await Expect(page.Locator("[data-testid=leads-table] tbody tr")).ToHaveCountAsync(50);

        await page.GetByLabel("Select every lead on this page").CheckAsync();
        await page.GetByTestId("all-matching").CheckAsync();
        await page.GetByTestId("bulk-assignee").SelectOptionAsync(agentId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await page.GetByTestId("bulk-assign-apply").ClickAsync();
        await Expect(page.GetByTestId("bulk-progress")).ToHaveAttributeAsync("data-status", "succeeded");
        await Expect(page.GetByTestId("bulk-progress")).ToContainTextAsync("Done: 60 lead(s) assigned");

        var assigned = await world.Leadwire.QueryAsync(db => db.Leads.AsNoTracking()
            .GroupBy(l => l.CampaignId).Select(g => new { Campaign = g.Key, Assigned = g.Count(l => l.AssigneeUserId == agentId) }).ToListAsync());
        Assert.Equal(60, assigned.Single(a => a.Campaign == "111").Assigned);
        Assert.Equal(0, assigned.Single(a => a.Campaign == "222").Assigned);

        // Export the same filter and read the file the browser downloads.
        await page.GetByLabel("Select every lead on this page").CheckAsync();
        await page.GetByTestId("all-matching").CheckAsync();
        await page.GetByTestId("bulk-export").ClickAsync();
        await Expect(page.GetByTestId("bulk-download")).ToBeVisibleAsync();
        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByTestId("bulk-download").ClickAsync());
        var file = await download.PathAsync();
        var lines = (await File.ReadAllLinesAsync(file!)).Where(l => l.Length > 0).ToList();
        Assert.Equal(61, lines.Count);
        Assert.Contains("meta_lead_id", lines[0], StringComparison.Ordinal);
        Assert.All(lines.Skip(1), line => Assert.Contains("111", line, StringComparison.Ordinal));
        await BrowserSession.ScreenshotAsync(page, nameof(BulkAssign_AllMatchingAFilter_AssignsEveryMatchingLeadThenExportHasTheirRows));
    }

    [Fact]
    public async Task Agent_SeesOnlyOwnLeads_NoExportAndNoWayIntoAnothersLead()
    {
        await using var world = await DashboardWorld.StartAsync();
        var alex = await world.CreateMemberAsync(WorkspaceRole.Agent, "agent.alex@example.com");
        var blair = await world.CreateMemberAsync(WorkspaceRole.Agent, "agent.blair@example.com");
        var mine = await world.SendLeadAsync();
        var theirs = await world.SendLeadAsync();
        await Eventually.ReturnsAsync(() => world.Leadwire.QueryAsync(db => db.Leads.CountAsync()), n => n == 2, TimeSpan.FromSeconds(30), "2 stored leads");
        long theirsId = 0;
        await world.Leadwire.QueryAsync(async db =>
        {
            await db.Leads.Where(l => l.MetaLeadId == mine.Id).ExecuteUpdateAsync(u => u.SetProperty(l => l.AssigneeUserId, alex));
            await db.Leads.Where(l => l.MetaLeadId == theirs.Id).ExecuteUpdateAsync(u => u.SetProperty(l => l.AssigneeUserId, blair));
            theirsId = await db.Leads.Where(l => l.MetaLeadId == theirs.Id).Select(l => l.Id).SingleAsync();
            return 0;
        });

        var page = await world.SignInAsync("agent.alex@example.com");
        var rows = page.Locator("[data-testid=leads-table] tbody tr");
        await Expect(rows).ToHaveCountAsync(1);
        await Expect(rows.First).ToHaveAttributeAsync("data-meta-lead-id", mine.Id);
        await rows.First.Locator("input[type=checkbox]").CheckAsync();
        await Expect(page.GetByTestId("bulk-actions")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("bulk-export")).ToHaveCountAsync(0);
        await BrowserSession.ScreenshotAsync(page, nameof(Agent_SeesOnlyOwnLeads_NoExportAndNoWayIntoAnothersLead) + "-list");

        await page.GotoAsync($"/leads/{theirsId}");
        await Expect(page.GetByTestId("lead-missing")).ToBeVisibleAsync();
        await Expect(page.Locator("body")).Not.ToContainTextAsync(theirs.Id);
        await BrowserSession.ScreenshotAsync(page, nameof(Agent_SeesOnlyOwnLeads_NoExportAndNoWayIntoAnothersLead) + "-other");
    }

    [Fact]
    public async Task Scoring_ThreeLeads_ChartAndRecommendationsShowThem()
    {
        await using var world = await DashboardWorld.StartAsync();
        for (var i = 0; i < 3; i++)
        {
            await world.SendLeadAsync();
        }
        await Eventually.ReturnsAsync(() => world.Leadwire.QueryAsync(db => db.Leads.CountAsync()), n => n == 3, TimeSpan.FromSeconds(30), "3 stored leads");
        var scores = await world.Leadwire.QueryAsync(db => db.Leads.Select(l => l.Score).ToListAsync());

        var page = await world.SignInAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Scoring" }).ClickAsync();
        await Expect(page.GetByTestId("scored-total")).ToHaveTextAsync("3");
        foreach (var band in scores.GroupBy(s => Math.Min(s, 99) / 10))
        {
            var label = $"{band.Key * 10}-{(band.Key == 9 ? 100 : (band.Key * 10) + 9)}";
            await Expect(page.Locator($"[data-testid=score-chart] g[data-label='{label}']")).ToHaveAttributeAsync("data-value", band.Count().ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        await Expect(page.GetByTestId("top-leads").Locator("li")).ToHaveCountAsync(3);
        await BrowserSession.ScreenshotAsync(page, nameof(Scoring_ThreeLeads_ChartAndRecommendationsShowThem));
    }

    [Fact]
    public async Task TwoInstancesOnOnePostgres_LeadCapturedByOne_AppearsOnTheOthersDashboard()
    {
        await using var world = await DashboardWorld.StartAsync(DatabaseProvider.Postgres);
        // The second instance runs no jobs: it can only hear of the lead through PostgreSQL.
        await using var second = await LeadwireHost.StartAsync(world.Scenario.Database, world.Scenario.Emulator.BaseUrl,
            settings => settings["Leadwire:Jobs:RunnerEnabled"] = "false");
        await using var browser = await BrowserSession.NewContextAsync(second.BaseUrl);
        var page = await DashboardWorld.SignInAsync(browser);

        var sent = await world.SendLeadAsync();
        await Expect(page.Locator($"tr[data-meta-lead-id='{sent.Id}']")).ToBeVisibleAsync();
        await BrowserSession.ScreenshotAsync(page, nameof(TwoInstancesOnOnePostgres_LeadCapturedByOne_AppearsOnTheOthersDashboard));
    }

    [Fact]
    public async Task Leads_PhoneWidth_OneCardPerLeadWithoutSidewaysScrolling()
    {
        await using var world = await DashboardWorld.StartAsync(viewport: new ViewportSize { Width = 375, Height = 740 });
        await world.SendLeadAsync();
        await Eventually.ReturnsAsync(() => world.Leadwire.QueryAsync(db => db.Leads.CountAsync()), n => n == 1, TimeSpan.FromSeconds(30), "the lead");

        var page = await world.SignInAsync();
        var row = page.Locator("[data-testid=leads-table] tbody tr").First;
        await Expect(row).ToBeVisibleAsync();
        // The table's header is out of the way and each cell says what it is.
        await Expect(page.Locator("[data-testid=leads-table] thead")).Not.ToBeInViewportAsync();
        var overflow = await page.EvaluateAsync<int>("document.documentElement.scrollWidth - document.documentElement.clientWidth");
        Assert.True(overflow <= 0, $"the page scrolls sideways by {overflow}px at a phone's width");
        // Keyboard: the skip link, hidden until focused, shows itself when it is.
        var skip = page.GetByRole(AriaRole.Link, new() { Name = "Skip to content" });
        await skip.FocusAsync();
        await Expect(skip).ToBeInViewportAsync();
        await BrowserSession.ScreenshotAsync(page, nameof(Leads_PhoneWidth_OneCardPerLeadWithoutSidewaysScrolling));
    }
}
