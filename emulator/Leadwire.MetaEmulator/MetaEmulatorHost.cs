using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;

namespace Leadwire.MetaEmulator;

/// <summary>The emulator running in-process on Kestrel (tests, bench, the server's demo mode).</summary>
public sealed class MetaEmulatorHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly HttpClient _http;
    private int _disposed;

    private MetaEmulatorHost(WebApplication app, Uri baseUrl, string graphVersion)
    {
        _app = app;
        BaseUrl = baseUrl;
        GraphUrl = new Uri(baseUrl, graphVersion + "/");
        _http = new HttpClient { BaseAddress = baseUrl };
        Client = new MetaEmulatorClient(_http);
    }

    /// <summary>The bound root, e.g. http://127.0.0.1:41234/ (the real port when settings asked for port 0).</summary>
    public Uri BaseUrl { get; }

    /// <summary>BaseUrl plus the configured Graph version, e.g. http://127.0.0.1:41234/v25.0/.</summary>
    public Uri GraphUrl { get; }

    public MetaEmulatorClient Client { get; }

    public static async Task<MetaEmulatorHost> StartAsync(MetaEmulatorSettings settings, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        settings.Validate();
        var app = EmulatorApp.Build(settings);
        try
        {
            await app.StartAsync(cancellationToken);
            var addresses = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses;
            return new MetaEmulatorHost(app, Reachable(addresses.First()), settings.GraphVersion);
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        _http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    /// <summary>A wildcard bind address (0.0.0.0, [::], +, *) is not something a client can call; use loopback.</summary>
    private static Uri Reachable(string address)
    {
        var builder = new UriBuilder(address.Replace("://+", "://0.0.0.0", StringComparison.Ordinal).Replace("://*", "://0.0.0.0", StringComparison.Ordinal));
        if (builder.Host is "0.0.0.0" or "[::]" or "::")
        {
            builder.Host = "127.0.0.1";
        }

        return builder.Uri;
    }
}
