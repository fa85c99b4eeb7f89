using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Leadwire.Data;
using Leadwire.Features.Leads;
using Leadwire.Infrastructure;
using Leadwire.MetaEmulator;
using Leadwire.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Leadwire.Tests.Integration;

/// <summary>A6: Meta's failures handled by kind — wait, park, retry, or dead-letter — and nothing lost.</summary>
public sealed class FailureHandlingTests
{
    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task RateLimit_WithoutEstimate_BacksOffThenSucceedsWithoutUsingAttempts(DatabaseProvider provider)
    {
        await using var s = await CaptureScenario.StartAsync(provider);
        await s.Meta.AddFaultAsync(new FaultRequest { Match = "lead", ErrorCode = 80005, Count = 2, Message = "(#80005) There have been too many leadgen api calls" });

        var sent = await s.Meta.CreateLeadAsync(new CreateLeadRequest { FormId = s.Form.Id, Deliver = true });
        await s.WaitForLeadAsync(sent.Id);

        var job = Assert.Single(await s.JobsAsync(FetchLead.Kind));
        Assert.Equal(JobStatus.Succeeded, job.Status);
        Assert.Equal(1, job.Attempts);
        var reads = (await s.Meta.GetRequestsAsync()).Where(r => r.Endpoint == "lead").Select(r => r.ErrorCode).ToList();
        Assert.Equal([80005, 80005, null], reads);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task RateLimit_WithUsageEstimate_WaitsAsLongAsMetaSaysAndStopsCalling(DatabaseProvider provider)
    {
        await using var s = await CaptureScenario.StartAsync(provider);
        await s.Meta.AddFaultAsync(new FaultRequest
        {
            Match = "lead", ErrorCode = 4, Count = 0, Message = "(#4) Application request limit reached",
            Usage = new UsageThrottle { CallCount = 100, TotalTime = 40, TotalCputime = 40, EstimatedTimeToRegainAccess = 3 },
        });

        var leads = await s.Meta.CreateLeadsBulkAsync(new BulkLeadsRequest { FormId = s.Form.Id, Count = 3 });
        var before = TimeProvider.System.GetUtcNow().UtcDateTime;
        using (var post = await s.PostWebhookAsync(CaptureScenario.LeadgenBody(leads.Ids.Select(id => (s.Page.Id, s.Form.Id, id)))))
        {
            Assert.Equal(HttpStatusCode.OK, post.StatusCode);
        }

        var jobs = await Eventually.ReturnsAsync(
            () => s.Leadwire.QueryAsync(db => db.Jobs.Where(j => j.Kind == FetchLead.Kind && j.LastError != null && j.Status == JobStatus.Pending).ToListAsync()),
            j => j.Count == 3, TimeSpan.FromSeconds(20), "three rate-limited fetch jobs");
        Assert.All(jobs, j =>
        {
            Assert.InRange(j.RunAfter, before.AddMinutes(2.9), before.AddMinutes(3.5));
            Assert.Equal(0, j.Attempts);
        });
        Assert.Contains(jobs, j => j.LastError!.Contains("Meta error 4", StringComparison.Ordinal));
        // Once Meta has said "wait", the page is blocked: no job calls Meta again (only those already in flight did).
        var calls = (await s.Meta.GetRequestsAsync()).Count(r => r.Endpoint == "lead");
        Assert.InRange(calls, 1, 3);
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.Equal(calls, (await s.Meta.GetRequestsAsync()).Count(r => r.Endpoint == "lead"));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task ExpiredToken_ParksPageWork_NewTokenResumesIt(DatabaseProvider provider)
    {
        await using var s = await CaptureScenario.StartAsync(provider);
        await s.Meta.ExpirePageTokenAsync(s.Page.Id);

        var leads = new List<LeadView>();
        for (var i = 0; i < 3; i++)
        {
            leads.Add(await s.Meta.CreateLeadAsync(new CreateLeadRequest { FormId = s.Form.Id, Deliver = true }));
        }

        var page = await Eventually.ReturnsAsync(
            () => s.Leadwire.Api.GetFromJsonAsync<JsonElement>($"/api/v1/pages/{s.Page.Id}"),
            p => p.GetProperty("status").GetString() == "needs_reauth", TimeSpan.FromSeconds(20), "the page to need re-authorisation");
        Assert.Contains("190", page.GetProperty("status_reason").GetString(), StringComparison.Ordinal);
        var parked = await Eventually.ReturnsAsync(
            () => s.Leadwire.QueryAsync(db => db.Jobs.CountAsync(j => j.Kind == FetchLead.Kind && j.Status == JobStatus.Parked)),
            n => n == 3, TimeSpan.FromSeconds(20), "three parked fetch jobs");
        Assert.Equal(3, parked);
        Assert.Equal(0, await s.LeadCountAsync());
        // Parked means parked: Meta is not called again with the dead token.
        var calls = (await s.Meta.GetRequestsAsync()).Count(r => r.Endpoint == "lead");
        Assert.InRange(calls, 1, 3);

        var fresh = await s.Meta.RotatePageTokenAsync(s.Page.Id);
        using (var register = await s.RegisterPageAsync(fresh.AccessToken))
        {
            Assert.Equal(HttpStatusCode.OK, register.StatusCode);
            Assert.Equal("active", (await register.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
        }

        foreach (var lead in leads)
        {
            await s.WaitForLeadAsync(lead.Id);
        }
        Assert.All(await s.JobsAsync(FetchLead.Kind), j => Assert.Equal(JobStatus.Succeeded, j.Status));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task ServerErrorStorm_RetriedWithBackoff_EveryLeadStored(DatabaseProvider provider)
    {
        await using var s = await CaptureScenario.StartAsync(provider);
        await s.Meta.AddFaultAsync(new FaultRequest { Match = "lead", ErrorCode = 2, HttpStatus = 503, Count = 15, IsTransient = true, Message = "(#2) Service temporarily unavailable" });
        await s.Meta.AddFaultAsync(new FaultRequest { Match = "lead", ErrorCode = 1, HttpStatus = 500, Count = 10, Message = "(#1) An unknown error occurred" });

        var leads = await s.Meta.CreateLeadsBulkAsync(new BulkLeadsRequest { FormId = s.Form.Id, Count = 10 });
        using (var post = await s.PostWebhookAsync(CaptureScenario.LeadgenBody(leads.Ids.Select(id => (s.Page.Id, s.Form.Id, id)))))
        {
            Assert.Equal(HttpStatusCode.OK, post.StatusCode);
        }

        await s.WaitForLeadCountAsync(10, TimeSpan.FromSeconds(60));
        var jobs = await s.JobsAsync(FetchLead.Kind);
        Assert.All(jobs, j => Assert.Equal(JobStatus.Succeeded, j.Status));
        Assert.Equal(10 + 25, jobs.Sum(j => j.Attempts));
        Assert.Equal(25, (await s.Meta.GetRequestsAsync()).Count(r => r.Endpoint == "lead" && r.StatusCode >= 500));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task PermanentError_DeadLettersWithReason_ReplayStoresTheLead(DatabaseProvider provider)
    {
        await using var s = await CaptureScenario.StartAsync(provider);
        await s.Meta.AddFaultAsync(new FaultRequest
        {
            Match = "lead", ErrorCode = 200, Count = 1, Message = "(#200) Leads Access Manager: this app is not allowed to retrieve leads",
        });

        var sent = await s.Meta.CreateLeadAsync(new CreateLeadRequest { FormId = s.Form.Id, Deliver = true });
        var dead = await s.WaitForJobAsync(FetchLead.Kind, JobStatus.Dead);
        Assert.Equal(1, dead.Attempts);

        var listed = await s.Leadwire.Api.GetFromJsonAsync<JsonElement>("/api/v1/jobs?status=dead");
        var item = Assert.Single(listed.GetProperty("items").EnumerateArray());
        Assert.Contains("Leads Access Manager", item.GetProperty("last_error").GetString(), StringComparison.Ordinal);
        Assert.Equal(sent.Id, item.GetProperty("payload").GetProperty("leadgen_id").GetString());
        Assert.Equal(s.Page.Id, item.GetProperty("page_id").GetString());

        using (var replay = await s.Leadwire.Api.PostAsync($"/api/v1/jobs/{dead.Id}/replay", null))
        {
            Assert.Equal(HttpStatusCode.Accepted, replay.StatusCode);
        }
        await s.WaitForLeadAsync(sent.Id);

        using var again = await s.Leadwire.Api.PostAsync($"/api/v1/jobs/{dead.Id}/replay", null);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Contains("succeeded", (await again.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString(), StringComparison.Ordinal);
        using var unknown = await s.Leadwire.Api.PostAsync("/api/v1/jobs/987654/replay", null);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Transient_FailingEveryAttempt_DeadLettersAfterMaxAttempts(DatabaseProvider provider)
    {
        await using var s = await CaptureScenario.StartAsync(provider, c => c["Leadwire:Jobs:MaxAttempts"] = "3");
        await s.Meta.AddFaultAsync(new FaultRequest { Match = "lead", ErrorCode = 2, HttpStatus = 503, Count = 0 });

        await s.Meta.CreateLeadAsync(new CreateLeadRequest { FormId = s.Form.Id, Deliver = true });
        var dead = await s.WaitForJobAsync(FetchLead.Kind, JobStatus.Dead);
        Assert.Equal(3, dead.Attempts);
        Assert.StartsWith("Gave up after 3 attempts", dead.LastError, StringComparison.Ordinal);
    }
}
