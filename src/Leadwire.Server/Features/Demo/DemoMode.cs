using Leadwire.Infrastructure;

namespace Leadwire.Features.Demo;

/// <summary>Demo mode: no Meta settings given, so the emulator runs in-process and plays Meta.</summary>
public static class DemoMode
{
    public static Task<WebApplicationBuilder> AddDemoModeAsync(this WebApplicationBuilder builder)
    {
        var meta = builder.Configuration.GetSection(MetaOptions.Section).Get<MetaOptions>() ?? new MetaOptions();
        var demo = builder.Configuration.GetSection(DemoOptions.Section).Get<DemoOptions>() ?? new DemoOptions();
        var enabled = demo.Enabled ?? meta.IsEmpty;
        builder.Services.AddSingleton(new DemoState(enabled && meta.IsEmpty));
        return Task.FromResult(builder);
    }

    public static IEndpointRouteBuilder MapDemo(this IEndpointRouteBuilder app) => app;
}
