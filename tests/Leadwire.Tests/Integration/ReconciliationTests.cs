using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Leadwire.Data;
using Leadwire.Features.Reconciliation;
using Leadwire.Infrastructure;
using Leadwire.MetaEmulator;
using Leadwire.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Leadwire.Tests.Integration;

/// <summary>A5: leads the webhooks never brought are found by reading each form, and the checkpoint is honest.</summary>
public sealed class ReconciliationTests
{
    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task DroppedWebhooks_RecoveredByScheduledReconciliation(DatabaseProvider provider)
    {
        await using var s = await CaptureScenario.StartAsync(provider, c =>
        {
            c["Leadwire:Reconciliation:Enabled"] = "true";
            c["Leadwire:Reconciliation:Interval"] = "00:00:02";
            c["Leadwire:Reconciliation:PageSize"] = "25";
        });
        await s.Meta.SetWebhookBehaviourAsync(new WebhookBehaviourUpdate { DropNext = 60 });
        var delivered = await s.Meta.CreateLeadAsync(new CreateLeadRequest { FormId = s.Form.Id, Deliver = true });
        var dropped = await s.Meta.CreateLeadsBulkAsync(new BulkLeadsRequest { FormId = s.Form.Id, Count = 59, Deliver = true });
        await s.Meta.SetWebhookBehaviourAsync(new WebhookBehaviourUpdate { DropNext = 0 });
        Assert.Equal(60, (await s.Meta.GetWebhookStatsAsync()).DroppedChanges);

        await s.WaitForLeadCountAsync(60, TimeSpan.FromSeconds(30));
        var sources = await s.Leadwire.QueryAsync(db => db.Leads.GroupBy(l => l.Source).Select(g => new { g.Key, Count = g.Count() }).ToListAsync());
        Assert.Equal(60, Assert.Single(sources, x => x.Key == LeadSource.Reconciliation).Count);
        Assert.Contains(delivered.Id, await s.Leadwire.QueryAsync(db => db.Leads.Select(l => l.MetaLeadId).ToListAsync()));
        Assert.Equal(dropped.Ids.Order(), await s.Leadwire.QueryAsync(db => db.Leads.Where(l => l.MetaLeadId != delivered.Id).Select(l => l.MetaLeadId).OrderBy(x => x).ToListAsync()));

        // Paged through Meta's cursors with the time_created filter.
        var reads = (await s.Meta.GetRequestsAsync()).Where(r => r.Endpoint == "form_leads").ToList();
        Assert.Contains(reads, r => r.Query.Contains("after=", StringComparison.Ordinal));
        Assert.All(reads, r => Assert.Contains("time_created", Uri.UnescapeDataString(r.Query), StringComparison.Ordinal));
        var form = await s.Leadwire.QueryAsync(db => db.Forms.SingleAsync());
        Assert.NotNull(form.ReconciledThrough);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task FailedRead_CheckpointStays_ReplayMovesItAndStoresTheLeads(DatabaseProvider provider)
    {
        await using var s = await CaptureScenario.StartAsync(provider, c => c["Leadwire:Reconciliation:PageSize"] = "10");
        var missed = await s.Meta.CreateLeadsBulkAsync(new BulkLeadsRequest { FormId = s.Form.Id, Count = 25 });
        // Meta refuses the read for good: the job dead-letters and the checkpoint must not move.
        await s.Meta.AddFaultAsync(new FaultRequest { Match = "form_leads", ErrorCode = 100, Count = 1, Message = "(#100) Invalid cursor" });

        using (var trigger = await s.Leadwire.Api.PostAsync($"/api/v1/forms/{s.Form.Id}/reconcile", null))
        {
            Assert.Equal(HttpStatusCode.Accepted, trigger.StatusCode);
        }
        var dead = await s.WaitForJobAsync(ReconcileForm.Kind, JobStatus.Dead);
        Assert.Contains("Invalid cursor", dead.LastError, StringComparison.Ordinal);
        Assert.Null((await s.Leadwire.QueryAsync(db => db.Forms.SingleAsync())).ReconciledThrough);

        using (var replay = await s.Leadwire.Api.PostAsync($"/api/v1/jobs/{dead.Id}/replay", null))
        {
            Assert.Equal(HttpStatusCode.Accepted, replay.StatusCode);
        }
        await s.WaitForJobAsync(ReconcileForm.Kind, JobStatus.Succeeded);
        Assert.Equal(25, await s.LeadCountAsync());
        Assert.Equal(missed.Ids.Order(), await s.Leadwire.QueryAsync(db => db.Leads.Select(l => l.MetaLeadId).OrderBy(x => x).ToListAsync()));
        var pages = await s.Leadwire.Api.GetFromJsonAsync<JsonElement>("/api/v1/pages");
        var form = pages[0].GetProperty("forms")[0];
        Assert.Equal(JsonValueKind.String, form.GetProperty("reconciled_through").ValueKind);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    public async Task Reconcile_UnknownForm_404ProblemDetails(DatabaseProvider provider)
    {
        await using var s = await CaptureScenario.StartAsync(provider);
        using var response = await s.Leadwire.Api.PostAsync("/api/v1/forms/123/reconcile", null);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }
}
