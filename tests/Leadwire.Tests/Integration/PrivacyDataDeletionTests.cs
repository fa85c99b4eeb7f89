using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Leadwire.Data;
using Leadwire.Features.Privacy;
using Leadwire.Infrastructure;
using Leadwire.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Leadwire.Tests.Integration;

/// <summary>C6: Meta's data-deletion request callback, verified with the app secret, answered with a status link.</summary>
public sealed class PrivacyDataDeletionTests
{
    private static readonly byte[] Secret = Encoding.UTF8.GetBytes(LeadwireHost.AppSecret);

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task DataDeletion_ValidSignedRequest_RecordedAndStatusPublic(DatabaseProvider provider)
    {
        await using var w = await AccountsTestWorld.StartAsync(provider);
        var signed = SignedRequest.Create(new SignedRequestPayload("987654321012345", SignedRequest.HmacSha256, TimeProvider.System.GetUtcNow()), Secret);

        using var response = await PostAsync(w.Host.Anonymous, signed);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var answer = await response.Content.ReadFromJsonAsync<JsonElement>();
        var code = answer.GetProperty("confirmation_code").GetString()!;
        Assert.Matches("^[0-9a-f]{32}$", code);
        Assert.Equal(new Uri(w.Host.BaseUrl, $"/meta/data-deletion/{code}").ToString(), answer.GetProperty("url").GetString());

        var stored = await w.Host.QueryAsync(db => db.Set<DataDeletionRequest>().SingleAsync());
        Assert.Equal("987654321012345", stored.MetaUserId);
        Assert.Equal(DataDeletionStatus.Completed, stored.Status);
        Assert.Equal(0, stored.LeadsErased);

        // The status page is public and never shows whose request it is.
        using var status = await w.Host.Anonymous.GetAsync(answer.GetProperty("url").GetString());
        Assert.Equal(HttpStatusCode.OK, status.StatusCode);
        var text = await status.Content.ReadAsStringAsync();
        Assert.DoesNotContain("987654321012345", text, StringComparison.Ordinal);
        var body = JsonDocument.Parse(text).RootElement;
        Assert.Equal("completed", body.GetProperty("status").GetString());
        Assert.Equal(0, body.GetProperty("leads_erased").GetInt32());
        Assert.Equal(code, body.GetProperty("confirmation_code").GetString());

        using var unknown = await w.Host.Anonymous.GetAsync("/meta/data-deletion/0123456789abcdef0123456789abcdef");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(404, (await AccountsTestWorld.ProblemAsync(unknown)).GetProperty("status").GetInt32());

        var audit = await w.Host.QueryAsync(db => db.AuditLog.SingleAsync(a => a.Action == "privacy.data_deletion_requested"));
        Assert.Null(audit.WorkspaceId);
        Assert.Equal(code, audit.TargetId);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task DataDeletion_InvalidSignedRequest_400AndNothingRecorded(DatabaseProvider provider)
    {
        await using var w = await AccountsTestWorld.StartAsync(provider);
        var payload = new SignedRequestPayload("987654321012345", SignedRequest.HmacSha256, null);
        var wrongSecret = SignedRequest.Create(payload, Encoding.UTF8.GetBytes("someone else's secret"));
        var good = SignedRequest.Create(payload, Secret);
        var tampered = good[..(good.IndexOf('.', StringComparison.Ordinal) + 1)]
            + SignedRequest.Create(payload with { UserId = "111" }, Secret).Split('.')[1];

        foreach (var signed in new[] { wrongSecret, tampered, "", "no-dot-at-all" })
        {
            using var response = await PostAsync(w.Host.Anonymous, signed);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            var problem = await AccountsTestWorld.ProblemAsync(response);
            Assert.Equal("Invalid signed_request", problem.GetProperty("title").GetString());
            Assert.DoesNotContain(LeadwireHost.AppSecret, problem.GetRawText(), StringComparison.Ordinal);
        }
        using var json = await w.Host.Anonymous.PostAsJsonAsync("/meta/data-deletion", new { signed_request = good });
        Assert.Equal(HttpStatusCode.BadRequest, json.StatusCode);

        Assert.Equal(0, await w.Host.QueryAsync(db => db.Set<DataDeletionRequest>().CountAsync()));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    public async Task DataDeletion_PublicBaseUrlSet_StatusLinkUsesIt(DatabaseProvider provider)
    {
        await using var w = await AccountsTestWorld.StartAsync(provider, s => s["Leadwire:Privacy:PublicBaseUrl"] = "https://leads.example.com/");
        using var response = await PostAsync(w.Host.Anonymous, SignedRequest.Create(new SignedRequestPayload("42", SignedRequest.HmacSha256, null), Secret));

        var answer = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal($"https://leads.example.com/meta/data-deletion/{answer.GetProperty("confirmation_code").GetString()}", answer.GetProperty("url").GetString());
    }

    private static async Task<HttpResponseMessage> PostAsync(HttpClient client, string signedRequest)
    {
        using var form = new FormUrlEncodedContent([new KeyValuePair<string, string>("signed_request", signedRequest)]);
        return await client.PostAsync("/meta/data-deletion", form);
    }
}
