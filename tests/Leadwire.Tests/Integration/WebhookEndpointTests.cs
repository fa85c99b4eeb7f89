using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Leadwire.Data;
using Leadwire.Features.Leads;
using Leadwire.Features.Webhooks;
using Leadwire.Infrastructure;
using Leadwire.MetaEmulator;
using Leadwire.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Leadwire.Tests.Integration;

/// <summary>A1: the handshake, signature checks, size limit, and what a signed but useless body becomes.</summary>
public sealed class WebhookEndpointTests
{
    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Handshake_MatchingVerifyToken_EchoesChallengeAsPlainText(DatabaseProvider provider)
    {
        await using var s = await CaptureScenario.StartAsync(provider, registerPage: false);

        using var ok = await s.Leadwire.Anonymous.GetAsync($"/webhooks/meta?hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token={LeadwireHost.VerifyToken}");
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Equal("text/plain", ok.Content.Headers.ContentType?.MediaType);
        Assert.Equal("1158201444", await ok.Content.ReadAsStringAsync());

        using var wrongToken = await s.Leadwire.Anonymous.GetAsync("/webhooks/meta?hub.mode=subscribe&hub.challenge=1&hub.verify_token=nope");
        Assert.Equal(HttpStatusCode.Forbidden, wrongToken.StatusCode);
        using var wrongMode = await s.Leadwire.Anonymous.GetAsync($"/webhooks/meta?hub.mode=unsubscribe&hub.challenge=1&hub.verify_token={LeadwireHost.VerifyToken}");
        Assert.Equal(HttpStatusCode.Forbidden, wrongMode.StatusCode);

        // Meta's own flow: subscribing the app makes the emulator perform the handshake against Leadwire.
        using var http = new HttpClient();
        using var subscribe = await http.PostAsync(new Uri(s.Emulator.GraphUrl, $"{LeadwireHost.AppId}/subscriptions"), new FormUrlEncodedContent(
            new Dictionary<string, string>
            {
                ["object"] = "page", ["callback_url"] = s.Leadwire.WebhookUrl.ToString(), ["fields"] = "leadgen",
                ["verify_token"] = LeadwireHost.VerifyToken, ["access_token"] = $"{LeadwireHost.AppId}|{LeadwireHost.AppSecret}",
            }));
        Assert.Equal(HttpStatusCode.OK, subscribe.StatusCode);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Post_MissingOrWrongSignature_401ProblemDetailsAndNothingStored(DatabaseProvider provider)
    {
        await using var s = await CaptureScenario.StartAsync(provider);
        var body = CaptureScenario.LeadgenBody([(s.Page.Id, s.Form.Id, "900000000000777")]);

        using var missing = await s.PostWebhookAsync(body, sign: false);
        using var wrong = await s.PostWebhookAsync(body, signature: "sha256=" + new string('0', 64));
        using var otherSecret = await s.PostWebhookAsync(body, signature: "sha256=a5aeb03013dcd761e2bbaf3e18ed273611030e62ea62c7bf53fc803337d20db3");
        // The emulator signing with a different secret is the same as a forged delivery.
        var forged = await s.Meta.SendRawWebhookAsync(new RawWebhookRequest { Body = body, Signature = "invalid" });

        foreach (var response in new[] { missing, wrong, otherSecret })
        {
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal(401, problem.GetProperty("status").GetInt32());
            Assert.Contains("X-Hub-Signature-256", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }
        Assert.Equal(401, forged.StatusCode);

        Assert.Equal(0, await s.Leadwire.QueryAsync(db => db.WebhookDeliveries.CountAsync()));
        var stats = await s.Leadwire.Api.GetFromJsonAsync<JsonElement>("/api/v1/webhooks/stats");
        Assert.Equal(4, stats.GetProperty("rejected_signature").GetInt64());
        Assert.Equal(0, stats.GetProperty("accepted").GetInt64());
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Post_BodyOverLimit_413ProblemDetails(DatabaseProvider provider)
    {
        await using var s = await CaptureScenario.StartAsync(provider, c => c["Leadwire:Webhooks:MaxBodyBytes"] = "4096");
        var body = CaptureScenario.LeadgenBody(Enumerable.Range(0, 40).Select(i => (s.Page.Id, s.Form.Id, $"9000000000{i:D5}")));
        Assert.True(Encoding.UTF8.GetByteCount(body) > 4096);

        using var response = await s.PostWebhookAsync(body);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(0, await s.Leadwire.QueryAsync(db => db.WebhookDeliveries.CountAsync()));

        // Chunked, without Content-Length: the limit still holds while reading.
        using var chunked = new HttpRequestMessage(HttpMethod.Post, "/webhooks/meta") { Content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(body))) };
        chunked.Headers.TransferEncodingChunked = true;
        chunked.Headers.Add("X-Hub-Signature-256", CaptureScenario.Sign(Encoding.UTF8.GetBytes(body)));
        using var chunkedResponse = await s.Leadwire.Anonymous.SendAsync(chunked);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, chunkedResponse.StatusCode);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite, "this is { not json")]
    [InlineData(DatabaseProvider.Postgres, "this is { not json")]
    [InlineData(DatabaseProvider.Sqlite, """{"object":"user","entry":[]}""")]
    [InlineData(DatabaseProvider.Sqlite, """{"object":"page","entry":[{"id":"1","changes":[{"field":"leadgen","value":{}}]}]}""")]
    public async Task Post_SignedButUnusableBody_StoredAcknowledgedAndDeadLettered(DatabaseProvider provider, string body)
    {
        await using var s = await CaptureScenario.StartAsync(provider);

        using var response = await s.PostWebhookAsync(body);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        var job = await s.WaitForJobAsync(ProcessWebhookDelivery.Kind, JobStatus.Dead);
        Assert.False(string.IsNullOrWhiteSpace(job.LastError));
        Assert.Equal(1, job.Attempts);

        var deliveries = await s.Leadwire.Api.GetFromJsonAsync<JsonElement>("/api/v1/webhooks?status=dead");
        var delivery = Assert.Single(deliveries.GetProperty("items").EnumerateArray());
        Assert.Equal(body, delivery.GetProperty("body").GetString());
        Assert.Equal("verified", delivery.GetProperty("signature_status").GetString());
        Assert.Contains(delivery.GetProperty("error").GetString()!, job.LastError, StringComparison.Ordinal);

        var dead = await s.Leadwire.Api.GetFromJsonAsync<JsonElement>("/api/v1/jobs?status=dead");
        Assert.Equal(job.Id, Assert.Single(dead.GetProperty("items").EnumerateArray()).GetProperty("id").GetInt64());
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Post_UnknownPage_DeadLetteredThenReplayedAfterRegistration(DatabaseProvider provider)
    {
        await using var s = await CaptureScenario.StartAsync(provider, registerPage: false);
        var lead = await s.Meta.CreateLeadAsync(new CreateLeadRequest { FormId = s.Form.Id, Deliver = true });

        var job = await s.WaitForJobAsync(ProcessWebhookDelivery.Kind, JobStatus.Dead);
        Assert.Contains(s.Page.Id, job.LastError, StringComparison.Ordinal);
        Assert.Contains("Unknown page", job.LastError, StringComparison.Ordinal);

        using (var register = await s.RegisterPageAsync(s.Page.AccessToken))
        {
            Assert.Equal(HttpStatusCode.Created, register.StatusCode);
        }
        var deliveryId = (await s.Leadwire.QueryAsync(db => db.WebhookDeliveries.SingleAsync())).Id;
        using (var replay = await s.Leadwire.Api.PostAsync($"/api/v1/webhooks/{deliveryId}/replay", null))
        {
            Assert.Equal(HttpStatusCode.Accepted, replay.StatusCode);
        }

        var stored = await s.WaitForLeadAsync(lead.Id);
        Assert.Equal(s.Form.Id, stored.GetProperty("form_id").GetString());
        var delivery = await s.Leadwire.Api.GetFromJsonAsync<JsonElement>($"/api/v1/webhooks/{deliveryId}");
        await Eventually.ReturnsAsync(
            async () => (await s.Leadwire.Api.GetFromJsonAsync<JsonElement>($"/api/v1/webhooks/{deliveryId}")).GetProperty("status").GetString(),
            status => status == "processed", TimeSpan.FromSeconds(10), "the replayed delivery to be processed");
        Assert.Equal("verified", delivery.GetProperty("signature_status").GetString());
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Post_OneThousandChangesAcrossEntries_AllLeadsStored(DatabaseProvider provider)
    {
        await using var s = await CaptureScenario.StartAsync(provider);
        var secondPage = await s.Meta.CreatePageAsync(new CreatePageRequest { Name = "Second Page" });
        var secondForm = await s.Meta.CreateFormAsync(new CreateFormRequest { PageId = secondPage.Id, Name = "F2", Questions = [new QuestionRequest { Type = "EMAIL" }] });
        using (var register = await s.Leadwire.Api.PostAsJsonAsync("/api/v1/pages", new { page_id = secondPage.Id, name = secondPage.Name, access_token = secondPage.AccessToken }))
        {
            register.EnsureSuccessStatusCode();
        }

        var first = await s.Meta.CreateLeadsBulkAsync(new BulkLeadsRequest { FormId = s.Form.Id, Count = 600 });
        var second = await s.Meta.CreateLeadsBulkAsync(new BulkLeadsRequest { FormId = secondForm.Id, Count = 400 });
        var body = CaptureScenario.LeadgenBody(
            first.Ids.Select(id => (s.Page.Id, s.Form.Id, id)).Concat(second.Ids.Select(id => (secondPage.Id, secondForm.Id, id))));

        using var response = await s.PostWebhookAsync(body);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        await s.WaitForLeadCountAsync(1000, TimeSpan.FromSeconds(90));
        Assert.Equal(1000, await s.LeadCountAsync());
        Assert.Equal(400, await s.Leadwire.QueryAsync(db => db.Leads.CountAsync(l => l.MetaPageId == secondPage.Id)));
        var delivery = await s.Leadwire.QueryAsync(db => db.WebhookDeliveries.SingleAsync());
        Assert.Equal(1000, delivery.ChangeCount);
        Assert.Equal(1000, (await s.JobsAsync(FetchLead.Kind)).Length);
    }
}
