using System.Net;
using System.Net.Http.Json;
using Leadwire.Data;
using Leadwire.Features.Privacy;
using Leadwire.Infrastructure;
using Leadwire.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Leadwire.Tests.Integration;

/// <summary>C6: each workspace's retention policy, applied by a scheduled job.</summary>
public sealed class PrivacyRetentionTests
{
    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Retention_ErasesOnlyLeadsOlderThanTheirWorkspacesPolicy(DatabaseProvider provider)
    {
        await using var w = await AccountsTestWorld.StartAsync(provider, s => s["Leadwire:Privacy:EraseBatchSize"] = "2");
        var workspaceId = await w.WorkspaceIdAsync(w.Owner);
        using (var policy = await w.Owner.PatchAsJsonAsync("/api/v1/workspace", new { retention_days = 30 }))
        {
            Assert.Equal(HttpStatusCode.OK, policy.StatusCode);
        }
        var longer = await TestAccounts.CreateWorkspaceAsync(w.Host, "Keeps 90 days");
        var forever = await TestAccounts.CreateWorkspaceAsync(w.Host, "Keeps everything");
        await w.WithDbAsync(async db =>
        {
            await db.Workspaces.Where(x => x.Id == longer).ExecuteUpdateAsync(u => u.SetProperty(x => x.RetentionDays, 90));
            return 0;
        });
        var page = await w.SeedPageAsync(workspaceId);
        var longerPage = await w.SeedPageAsync(longer);
        var foreverPage = await w.SeedPageAsync(forever);
        var now = TimeProvider.System.GetUtcNow().UtcDateTime;
        await w.WithDbAsync(async db =>
        {
            db.Leads.AddRange(
                AccountsTestWorld.NewLead(page, "Old One", "old.one@example.org", "+1 555 000 0001", now.AddDays(-31)),
                AccountsTestWorld.NewLead(page, "Old Two", "old.two@example.org", "+1 555 000 0002", now.AddDays(-45)),
                AccountsTestWorld.NewLead(page, "Old Three", "old.three@example.org", "+1 555 000 0003", now.AddDays(-400)),
                AccountsTestWorld.NewLead(page, "Recent Ruth", "recent.ruth@example.org", "+1 555 000 0004", now.AddDays(-29)),
                AccountsTestWorld.NewLead(longerPage, "Ninety Nina", "ninety.nina@example.org", "+1 555 000 0005", now.AddDays(-45)),
                AccountsTestWorld.NewLead(foreverPage, "Forever Fred", "forever.fred@example.org", "+1 555 000 0006", now.AddDays(-3000)));
            return await db.SaveChangesAsync();
        });

        var erased = await w.Host.Services.GetRequiredService<LeadRetention>().ApplyAsync(CancellationToken.None);

        Assert.Equal(3, erased);
        var hits = await w.FindEverywhereAsync("Old One", "Old Two", "Old Three", "old.one", "old.two", "old.three");
        Assert.True(hits.Count == 0, string.Join(Environment.NewLine, hits));
        Assert.NotEmpty(await w.FindEverywhereAsync("recent.ruth@example.org"));
        Assert.NotEmpty(await w.FindEverywhereAsync("ninety.nina@example.org"));
        Assert.NotEmpty(await w.FindEverywhereAsync("forever.fred@example.org"));
        Assert.Equal(6, await w.Host.QueryAsync(db => db.Leads.CountAsync()));
        Assert.Equal(3, await w.Host.QueryAsync(db => db.Leads.CountAsync(l => l.ErasedAt != null && l.WorkspaceId == workspaceId)));
        Assert.Equal(3, await w.Host.QueryAsync(db => db.LeadEvents.CountAsync(e => e.Type == LeadEventTypes.Erased && e.Actor == "retention")));

        // One audit line per batch of two, with counts, by "retention".
        var audit = await AccountsTestWorld.AuditAsync(w.Owner, "&action=lead.erased");
        Assert.Equal([1, 2], audit.Select(a => a.GetProperty("details").GetProperty("count").GetInt32()));
        Assert.All(audit, a => Assert.Equal("retention", a.GetProperty("actor").GetString()));

        Assert.Equal(0, await w.Host.Services.GetRequiredService<LeadRetention>().ApplyAsync(CancellationToken.None));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    public async Task Retention_Scheduled_RunsAsAJobOncePerInterval(DatabaseProvider provider)
    {
        await using var w = await AccountsTestWorld.StartAsync(provider);

        var job = await Eventually.ReturnsAsync(
            () => w.Host.QueryAsync(db => db.Jobs.Where(j => j.Kind == ApplyRetention.Kind).ToListAsync()),
            jobs => jobs.Count == 1 && jobs[0].Status == JobStatus.Succeeded, TimeSpan.FromSeconds(20), "the retention job to run");

        // Scheduling again within the same day adds nothing.
        Assert.False(await w.Host.Services.GetRequiredService<RetentionScheduler>().ScheduleAsync(CancellationToken.None));
        Assert.Single(job);
    }
}
