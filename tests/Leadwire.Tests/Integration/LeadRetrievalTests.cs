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

/// <summary>A2, A3: webhook → Graph fetch → stored lead with every field; duplicates collapse; test leads flagged.</summary>
public sealed class LeadRetrievalTests
{
    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Lead_DeliveredByMeta_StoredWithEveryFieldMetaReturns(DatabaseProvider provider)
    {
        await using var s = await CaptureScenario.StartAsync(provider);
        var sent = await s.Meta.CreateLeadAsync(new CreateLeadRequest
        {
            FormId = s.Form.Id,
            Platform = "ig",
            FieldData =
            [
                new FieldDataItem { Name = "full_name", Values = ["Zeynep Çelik"] },
                new FieldDataItem { Name = "email", Values = ["zeynep@example.com"] },
                new FieldDataItem { Name = "phone_number", Values = ["+905551112233"] },
                new FieldDataItem { Name = "city", Values = ["İzmir"] },
                new FieldDataItem { Name = "preferred_model", Values = ["Hatchback"] },
            ],
            CustomDisclaimerResponses = [new DisclaimerResponse { CheckboxKey = "marketing_optin", IsChecked = "1" }],
            Deliver = true,
        });

        var lead = await s.WaitForLeadAsync(sent.Id);

        Assert.Equal(sent.Id, lead.GetProperty("meta_lead_id").GetString());
        Assert.Equal(s.Page.Id, lead.GetProperty("page_id").GetString());
        Assert.Equal(s.Form.Id, lead.GetProperty("form_id").GetString());
        Assert.Equal("Zeynep Çelik", lead.GetProperty("full_name").GetString());
        Assert.Equal("zeynep@example.com", lead.GetProperty("email").GetString());
        Assert.Equal("+905551112233", lead.GetProperty("phone").GetString());
        Assert.Equal("İzmir", lead.GetProperty("city").GetString());
        Assert.Equal("Hatchback", lead.GetProperty("answers").GetProperty("preferred_model").GetString());
        Assert.Equal(sent.AdId, lead.GetProperty("ad_id").GetString());
        Assert.Equal(sent.AdName, lead.GetProperty("ad_name").GetString());
        Assert.Equal(sent.AdsetId, lead.GetProperty("adset_id").GetString());
        Assert.Equal(sent.AdsetName, lead.GetProperty("adset_name").GetString());
        Assert.Equal(sent.CampaignId, lead.GetProperty("campaign_id").GetString());
        Assert.Equal(sent.CampaignName, lead.GetProperty("campaign_name").GetString());
        Assert.Equal("ig", lead.GetProperty("platform").GetString());
        Assert.False(lead.GetProperty("is_organic").GetBoolean());
        Assert.False(lead.GetProperty("is_test").GetBoolean());
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(sent.CreatedTimeUnix).UtcDateTime, lead.GetProperty("created_time").GetDateTime().ToUniversalTime());
        Assert.EndsWith("Z", lead.GetProperty("created_time").GetString(), StringComparison.Ordinal);
        Assert.Equal("marketing_optin", lead.GetProperty("custom_disclaimer_responses")[0].GetProperty("checkbox_key").GetString());
        Assert.Equal(sent.Id, lead.GetProperty("raw").GetProperty("id").GetString());

        // The fetch carried appsecret_proof, and the token travelled outside the URL.
        var fetches = (await s.Meta.GetRequestsAsync()).Where(r => r.Path.EndsWith(sent.Id, StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(fetches);
        Assert.All(fetches, r => Assert.True(r.HadAppsecretProof && r.HadAccessToken && r.StatusCode == 200));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task TestLead_FromLeadAdsTestingTool_FlaggedAsTest(DatabaseProvider provider)
    {
        await using var s = await CaptureScenario.StartAsync(provider);
        using var http = new HttpClient();
        var proof = Leadwire.Meta.AppSecretProof.Compute(LeadwireHost.AppSecret, s.Page.AccessToken);
        using var created = await http.PostAsync(
            new Uri(s.Emulator.GraphUrl, $"{s.Form.Id}/test_leads?access_token={Uri.EscapeDataString(s.Page.AccessToken)}&appsecret_proof={proof}"), null);
        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;

        var lead = await s.WaitForLeadAsync(id);
        Assert.True(lead.GetProperty("is_test").GetBoolean());
        Assert.True(lead.GetProperty("is_organic").GetBoolean());
        Assert.Equal(JsonValueKind.Null, lead.GetProperty("ad_id").ValueKind);

        var real = await s.Meta.CreateLeadAsync(new CreateLeadRequest { FormId = s.Form.Id, Deliver = true });
        await s.WaitForLeadAsync(real.Id);
        var onlyTests = await s.Leadwire.Api.GetFromJsonAsync<JsonElement>("/api/v1/leads?is_test=true");
        Assert.Equal([id], onlyTests.GetProperty("items").EnumerateArray().Select(l => l.GetProperty("meta_lead_id").GetString()));
        var noTests = await s.Leadwire.Api.GetFromJsonAsync<JsonElement>("/api/v1/leads?is_test=false");
        Assert.Equal([real.Id], noTests.GetProperty("items").EnumerateArray().Select(l => l.GetProperty("meta_lead_id").GetString()));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task SameLead_DeliveredAgainAndConcurrently_OneLeadOneFetch(DatabaseProvider provider)
    {
        await using var s = await CaptureScenario.StartAsync(provider);
        var leads = await s.Meta.CreateLeadsBulkAsync(new BulkLeadsRequest { FormId = s.Form.Id, Count = 20 });
        var body = CaptureScenario.LeadgenBody(leads.Ids.Select(id => (s.Page.Id, s.Form.Id, id)));

        // The same body twelve times at once, then Meta's own duplicate delivery of each lead, then once more later.
        var responses = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => s.PostWebhookAsync(body)));
        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        await s.Meta.SetWebhookBehaviourAsync(new WebhookBehaviourUpdate { DuplicateNext = 5 });
        await s.Meta.DeliverWebhooksAsync(leads.Ids);
        await s.WaitForLeadCountAsync(20);
        using (var again = await s.PostWebhookAsync(body))
        {
            Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        }
        await Eventually.ReturnsAsync(
            () => s.Leadwire.QueryAsync(db => db.Jobs.CountAsync(j => j.Status != JobStatus.Succeeded)),
            pending => pending == 0, TimeSpan.FromSeconds(20), "all work to finish");

        Assert.Equal(20, await s.LeadCountAsync());
        Assert.Equal(20, await s.Leadwire.QueryAsync(db => db.Leads.Select(l => l.MetaLeadId).Distinct().CountAsync()));
        var fetchJobs = await s.JobsAsync(FetchLead.Kind);
        Assert.Equal(20, fetchJobs.Length);
        Assert.All(fetchJobs, j => Assert.Equal(JobStatus.Succeeded, j.Status));
        Assert.True(await s.Leadwire.QueryAsync(db => db.WebhookDeliveries.CountAsync()) >= 14);
        // Each lead was read from Meta exactly once.
        var reads = (await s.Meta.GetRequestsAsync()).Count(r => r.Endpoint == "lead" && r.StatusCode == 200);
        Assert.Equal(20, reads);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task LeadsApi_FiltersAndKeysetPagination_ReturnEachLeadOnce(DatabaseProvider provider)
    {
        await using var s = await CaptureScenario.StartAsync(provider);
        var otherForm = await s.Meta.CreateFormAsync(new CreateFormRequest { PageId = s.Page.Id, Name = "Other", Questions = [new QuestionRequest { Type = "EMAIL" }] });
        var early = new DateTimeOffset(2026, 10, 1, 0, 0, 0, TimeSpan.Zero);
        var a = await s.Meta.CreateLeadsBulkAsync(new BulkLeadsRequest { FormId = s.Form.Id, Count = 23, CreatedFrom = early, CreatedTo = early.AddDays(10) });
        var b = await s.Meta.CreateLeadsBulkAsync(new BulkLeadsRequest { FormId = otherForm.Id, Count = 7, CreatedFrom = early.AddDays(20), CreatedTo = early.AddDays(21) });
        using (var post = await s.PostWebhookAsync(CaptureScenario.LeadgenBody(
                   a.Ids.Select(id => (s.Page.Id, s.Form.Id, id)).Concat(b.Ids.Select(id => (s.Page.Id, otherForm.Id, id))))))
        {
            Assert.Equal(HttpStatusCode.OK, post.StatusCode);
        }
        await s.WaitForLeadCountAsync(30);

        using (var anonymous = await s.Leadwire.Anonymous.GetAsync("/api/v1/leads"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        }
        using (var badToken = new HttpRequestMessage(HttpMethod.Get, "/api/v1/leads"))
        {
            badToken.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "not-the-token");
            using var response = await s.Leadwire.Anonymous.SendAsync(badToken);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }

        var seen = new List<string>();
        string? cursor = null;
        DateTime? previous = null;
        do
        {
            var page = await s.Leadwire.Api.GetFromJsonAsync<JsonElement>($"/api/v1/leads?limit=7{(cursor is null ? "" : $"&cursor={cursor}")}");
            foreach (var item in page.GetProperty("items").EnumerateArray())
            {
                var created = item.GetProperty("created_time").GetDateTime();
                Assert.True(previous is null || created <= previous, "newest first");
                previous = created;
                seen.Add(item.GetProperty("meta_lead_id").GetString()!);
            }
            cursor = page.GetProperty("next_cursor").GetString();
        }
        while (cursor is not null);
        Assert.Equal(30, seen.Count);
        Assert.Equal(30, seen.Distinct().Count());

        var byForm = await s.Leadwire.Api.GetFromJsonAsync<JsonElement>($"/api/v1/leads?form_id={otherForm.Id}&limit=100");
        Assert.Equal(b.Ids.Order(), byForm.GetProperty("items").EnumerateArray().Select(l => l.GetProperty("meta_lead_id").GetString()!).Order());
        var byPage = await s.Leadwire.Api.GetFromJsonAsync<JsonElement>($"/api/v1/leads?page_id={s.Page.Id}&limit=100");
        Assert.Equal(30, byPage.GetProperty("items").GetArrayLength());
        var since = Uri.EscapeDataString(early.AddDays(15).ToString("O"));
        var recent = await s.Leadwire.Api.GetFromJsonAsync<JsonElement>($"/api/v1/leads?created_since={since}&limit=100");
        Assert.Equal(7, recent.GetProperty("items").GetArrayLength());
        var until = await s.Leadwire.Api.GetFromJsonAsync<JsonElement>($"/api/v1/leads?created_until={since}&limit=100");
        Assert.Equal(23, until.GetProperty("items").GetArrayLength());

        using var invalid = await s.Leadwire.Api.GetAsync("/api/v1/leads?limit=0&cursor=%%%&created_since=yesterday");
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        var problem = await invalid.Content.ReadFromJsonAsync<JsonElement>();
        var errors = problem.GetProperty("errors");
        Assert.True(errors.TryGetProperty("limit", out _));
        Assert.True(errors.TryGetProperty("cursor", out _));
        Assert.True(errors.TryGetProperty("created_since", out _));

        using var missing = await s.Leadwire.Api.GetAsync("/api/v1/leads/999999");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("application/problem+json", missing.Content.Headers.ContentType?.MediaType);
    }
}
