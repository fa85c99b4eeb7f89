using System.Net.Http.Headers;
using Leadwire.Data;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Leadwire.Tests.Infrastructure;

/// <summary>
/// The real Leadwire host on Kestrel at a loopback port, with its own database, talking to the emulator over
/// HTTP. Tests reach it through real HTTP and look at its database through its own DbContext.
/// </summary>
public sealed class LeadwireHost : IAsyncDisposable
{
    public const string ApiToken = "test-bootstrap-token-0123456789";
    public const string AppId = "700000000000001";
    public const string AppSecret = "test_app_secret_for_leadwire";
    public const string VerifyToken = "test-verify-token";

    private readonly Factory _factory;

    private LeadwireHost(Factory factory, Uri baseUrl)
    {
        _factory = factory;
        BaseUrl = baseUrl;
        Anonymous = new HttpClient { BaseAddress = baseUrl, Timeout = TimeSpan.FromSeconds(60) };
        Api = new HttpClient { BaseAddress = baseUrl, Timeout = TimeSpan.FromSeconds(60) };
        Api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ApiToken);
    }

    public Uri BaseUrl { get; }
    public Uri WebhookUrl => new(BaseUrl, "/webhooks/meta");
    public HttpClient Api { get; }
    public HttpClient Anonymous { get; }
    public IServiceProvider Services => _factory.Services;

    /// <summary>Settings every test host gets: fast retries so failure paths finish in test time.</summary>
    public static Dictionary<string, string?> DefaultSettings(TestDatabase database, Uri? graphBaseUrl) => new(database.Settings.ToDictionary(p => p.Key, p => (string?)p.Value))
    {
        ["Leadwire:Meta:AppId"] = AppId,
        ["Leadwire:Meta:AppSecret"] = AppSecret,
        ["Leadwire:Meta:VerifyToken"] = VerifyToken,
        ["Leadwire:Meta:GraphBaseUrl"] = (graphBaseUrl ?? new Uri("http://127.0.0.1:9")).ToString().TrimEnd('/'),
        ["Leadwire:Meta:RequestTimeoutSeconds"] = "10",
        ["Leadwire:Bootstrap:ApiToken"] = ApiToken,
        ["Leadwire:Jobs:BackoffBase"] = "00:00:00.050",
        ["Leadwire:Jobs:BackoffMax"] = "00:00:00.500",
        ["Leadwire:Jobs:RateLimitFallbackDelay"] = "00:00:00.300",
        ["Leadwire:Jobs:PollInterval"] = "00:00:00.200",
        ["Leadwire:Jobs:LeaseDuration"] = "00:00:10",
        ["Leadwire:Reconciliation:Enabled"] = "false",
        ["Leadwire:Reconciliation:Overlap"] = "00:00:05",
        ["Logging:LogLevel:Default"] = "Warning",
        ["Logging:LogLevel:Leadwire"] = "Warning",
    };

    public static Task<LeadwireHost> StartAsync(TestDatabase database, Uri? graphBaseUrl, Action<Dictionary<string, string?>>? configure = null)
    {
        var settings = DefaultSettings(database, graphBaseUrl);
        configure?.Invoke(settings);
        var factory = new Factory(settings);
        factory.UseKestrel(0);
        factory.StartServer();
        var address = factory.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        return Task.FromResult(new LeadwireHost(factory, new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal))));
    }

    public async Task<T> QueryAsync<T>(Func<LeadwireDbContext, Task<T>> query)
    {
        await using var scope = Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<LeadwireDbContext>());
    }

    public async ValueTask DisposeAsync()
    {
        Api.Dispose();
        Anonymous.Dispose();
        await _factory.DisposeAsync();
    }

    private sealed class Factory(Dictionary<string, string?> settings) : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment("Test");
            // UseSetting, not ConfigureAppConfiguration: Program reads some settings while building.
            foreach (var (key, value) in settings)
            {
                builder.UseSetting(key, value);
            }
        }
    }
}

/// <summary>Waits for an eventually-true condition (background work), failing with a message after a timeout.</summary>
public static class Eventually
{
    public static async Task<T> ReturnsAsync<T>(Func<Task<T>> probe, Func<T, bool> done, TimeSpan timeout, string what)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        T last;
        while (true)
        {
            last = await probe();
            if (done(last))
            {
                return last;
            }
            if (clock.Elapsed > timeout)
            {
                throw new TimeoutException($"Timed out after {timeout.TotalSeconds:0}s waiting for {what}; last value: {last}");
            }
            await Task.Delay(50);
        }
    }
}
