using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Leadwire.Infrastructure;
using Leadwire.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Leadwire.Tests.Integration;

/// <summary>K6 demo mode, and configuration that stops the start with a message naming the setting.</summary>
public sealed class StartupTests
{
    [Fact]
    public async Task DemoMode_NoMetaSettings_SendTestLeadStoresItWithinSeconds()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        var settings = database.Settings.ToDictionary(p => p.Key, p => (string?)p.Value);
        settings["Logging:LogLevel:Default"] = "Warning";
        await using var server = await ServerProcess.StartAsync(settings);
        using var demo = new HttpClient { BaseAddress = server.BaseUrl };
        demo.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "demo-token-change-me");

        // The emulator subscribed the app to us, so our handshake ran, and the demo page is registered.
        await Eventually.ReturnsAsync(async () => (await demo.GetFromJsonAsync<JsonElement>("/api/v1/pages")).GetArrayLength(),
            n => n == 1, TimeSpan.FromSeconds(20), "the demo page");

        using var sent = await demo.PostAsync("/demo/test-lead", null);
        Assert.Equal(HttpStatusCode.Accepted, sent.StatusCode);
        var id = (await sent.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("meta_lead_id").GetString();

        var lead = await Eventually.ReturnsAsync(
            async () => (await demo.GetFromJsonAsync<JsonElement>("/api/v1/leads")).GetProperty("items").EnumerateArray().FirstOrDefault(),
            l => l.ValueKind == JsonValueKind.Object, TimeSpan.FromSeconds(10), "the demo lead");
        Assert.Equal(id, lead.GetProperty("meta_lead_id").GetString());
        Assert.False(string.IsNullOrEmpty(lead.GetProperty("email").GetString()));

        // Nobody can sign in yet (the demo owner has no password): the dashboard opens on its first-run setup.
        using var browser = new HttpClient { BaseAddress = server.BaseUrl };
        using var home = await browser.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, home.StatusCode);
        Assert.EndsWith("/setup", home.RequestMessage!.RequestUri!.AbsolutePath, StringComparison.Ordinal);
        Assert.Contains("Welcome to Leadwire", await home.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Leadwire:Meta:GraphVersion", "25", "GraphVersion")]
    [InlineData("Leadwire:Jobs:Concurrency", "0", "Concurrency")]
    [InlineData("Leadwire:Database:SqliteSynchronous", "OFF", "SqliteSynchronous")]
    [InlineData("Leadwire:Meta:AppSecret", "", "Leadwire:Meta:AppSecret")]
    [InlineData("Leadwire:Bootstrap:ApiToken", "short", "ApiToken")]
    public async Task Start_InvalidSetting_FailsNamingTheSetting(string key, string value, string named)
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        var settings = LeadwireHost.DefaultSettings(database, null);
        settings[key] = value;
        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => ServerProcess.StartAsync(settings));
        Assert.Contains(named, failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_PostgresWithoutConnectionString_FailsNamingTheSetting()
    {
        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => ServerProcess.StartAsync(new Dictionary<string, string?>
        {
            ["Leadwire:Database:Provider"] = "postgres",
        }));
        Assert.Contains("ConnectionStrings__Leadwire", failure.Message, StringComparison.Ordinal);
    }
}
