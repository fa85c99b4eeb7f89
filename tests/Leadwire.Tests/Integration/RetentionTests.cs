using System.Net;
using Leadwire.Data;
using Leadwire.Infrastructure;
using Leadwire.MetaEmulator;
using Leadwire.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Leadwire.Tests.Integration;

/// <summary>History tables are swept; leads and anything still needing attention are never touched.</summary>
public sealed class RetentionTests
{
    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Sweep_DeletesFinishedHistory_KeepsLeadsAndDeadLetters(DatabaseProvider provider)
    {
        await using var s = await CaptureScenario.StartAsync(provider, c =>
        {
            c["Leadwire:Jobs:SucceededRetention"] = "00:00:00";
            c["Leadwire:Jobs:DeliveryRetention"] = "00:00:00";
            c["Leadwire:Jobs:RetentionSweepInterval"] = "00:00:01";
        });
        var lead = await s.Meta.CreateLeadAsync(new CreateLeadRequest { FormId = s.Form.Id, Deliver = true });
        await s.WaitForLeadAsync(lead.Id);
        using (var malformed = await s.PostWebhookAsync("not json"))
        {
            Assert.Equal(HttpStatusCode.OK, malformed.StatusCode);
        }

        await Eventually.ReturnsAsync(
            () => s.Leadwire.QueryAsync(db => db.Jobs.CountAsync(j => j.Status == JobStatus.Succeeded)),
            n => n == 0, TimeSpan.FromSeconds(20), "finished jobs to be swept");
        await Eventually.ReturnsAsync(
            () => s.Leadwire.QueryAsync(db => db.WebhookDeliveries.CountAsync(d => d.Status == WebhookDeliveryStatus.Processed)),
            n => n == 0, TimeSpan.FromSeconds(20), "processed deliveries to be swept");

        Assert.Equal(1, await s.LeadCountAsync());
        Assert.Equal(1, await s.Leadwire.QueryAsync(db => db.Jobs.CountAsync(j => j.Status == JobStatus.Dead)));
        Assert.Equal(1, await s.Leadwire.QueryAsync(db => db.WebhookDeliveries.CountAsync(d => d.Status == WebhookDeliveryStatus.Dead)));
    }
}
