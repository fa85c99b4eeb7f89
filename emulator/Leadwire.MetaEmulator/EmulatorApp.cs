using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Leadwire.MetaEmulator.Control;
using Leadwire.MetaEmulator.Graph;
using Leadwire.MetaEmulator.Json;
using Leadwire.MetaEmulator.State;
using Leadwire.MetaEmulator.Webhooks;

namespace Leadwire.MetaEmulator;

/// <summary>Builds the emulator's web application; used by <see cref="MetaEmulatorHost"/> and the standalone Program.</summary>
internal static class EmulatorApp
{
    public static WebApplication Build(MetaEmulatorSettings settings)
    {
        // The empty builder reads no appsettings.json or environment: in-process hosts (tests, demo mode) must not pick up
        // the host application's configuration. Standalone runs bind settings themselves (Program).
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(EmulatorApp).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.WebHost.UseKestrelCore().UseUrls(settings.Urls);
        builder.Logging.AddConsole().SetMinimumLevel(settings.MinimumLogLevel);

        builder.Services.AddRoutingCore();
        builder.Services.AddProblemDetails();
        builder.Services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        builder.Services.ConfigureHttpJsonOptions(options =>
        {
            options.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
            options.SerializerOptions.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
            options.SerializerOptions.Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping;
            options.SerializerOptions.TypeInfoResolverChain.Insert(0, EmulatorJsonContext.Default);
        });
        builder.Services
            .AddEmulatorState(settings)
            .AddWebhookDelivery()
            .AddGraphApi()
            .AddControlApi();

        var app = builder.Build();
        app.UseExceptionHandler();
        app.MapControlApi();
        app.MapGraphApi();
        return app;
    }
}
