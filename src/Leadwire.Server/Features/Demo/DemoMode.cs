using System.Security.Cryptography;
using Leadwire.Infrastructure;
using Leadwire.MetaEmulator;

namespace Leadwire.Features.Demo;

/// <summary>
/// Demo mode: with no Meta settings, the emulator runs inside this process and plays Meta — a demo page and form,
/// signed webhooks to our own endpoint, Graph answers for the lead fetches — so the whole loop works offline.
/// </summary>
public static class DemoMode
{
    public static async Task<WebApplicationBuilder> AddDemoModeAsync(this WebApplicationBuilder builder)
    {
        var meta = builder.Configuration.GetSection(MetaOptions.Section).Get<MetaOptions>() ?? new MetaOptions();
        var demo = builder.Configuration.GetSection(DemoOptions.Section).Get<DemoOptions>() ?? new DemoOptions();
        var enabled = (demo.Enabled ?? meta.IsEmpty) && meta.IsEmpty;
        builder.Services.AddSingleton(new DemoState(enabled));
        if (!enabled)
        {
            return builder;
        }

        // Fresh secrets per run: nothing outside this process ever needs them.
        var settings = new MetaEmulatorSettings
        {
            AppSecret = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)),
            VerifyToken = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)),
            GraphVersion = meta.GraphVersion,
            Urls = demo.EmulatorUrl,
        };
        var emulator = await MetaEmulatorHost.StartAsync(settings);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Leadwire:Meta:AppId"] = settings.AppId,
            ["Leadwire:Meta:AppSecret"] = settings.AppSecret,
            ["Leadwire:Meta:VerifyToken"] = settings.VerifyToken,
            ["Leadwire:Meta:GraphBaseUrl"] = emulator.BaseUrl.ToString().TrimEnd('/'),
        });
        builder.Services.AddSingleton(emulator);
        builder.Services.AddSingleton<DemoSeed>();
        builder.Services.AddHostedService<DemoSeeder>();
        return builder;
    }

    public static IEndpointRouteBuilder MapDemo(this IEndpointRouteBuilder app)
    {
        if (app.ServiceProvider.GetRequiredService<DemoState>().Enabled)
        {
            app.MapPost("/demo/test-lead", SendTestLead.HandleAsync).AllowAnonymous().DisableAntiforgery().WithTags("Demo")
                .WithSummary("Demo mode only: the emulator creates a lead and sends its webhook");
        }
        return app;
    }
}

/// <summary>What the seeder created, once it has.</summary>
public sealed class DemoSeed
{
    private readonly TaskCompletionSource<(string PageId, string FormId)> _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task<(string PageId, string FormId)> Ready => _ready.Task;

    internal void Complete(string pageId, string formId) => _ready.TrySetResult((pageId, formId));

    internal void Fail(Exception e) => _ready.TrySetException(e);
}
