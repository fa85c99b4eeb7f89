namespace Leadwire.MetaEmulator.Control;

/// <summary>The test-facing control API under /_emulator (no auth, snake_case JSON, ProblemDetails errors).</summary>
internal static class ControlApi
{
    public static IServiceCollection AddControlApi(this IServiceCollection services)
    {
        services.AddSingleton<EmulatorReset>();
        services.AddExceptionHandler<BadRequestExceptionHandler>();
        return services;
    }

    public static IEndpointRouteBuilder MapControlApi(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/_emulator");
        group.MapPost("/reset", (EmulatorReset reset) =>
        {
            reset.Reset();
            return TypedResults.NoContent();
        });
        group.MapAppEndpoints();
        group.MapPageEndpoints();
        group.MapFormEndpoints();
        group.MapLeadEndpoints();
        group.MapWebhookEndpoints();
        group.MapFaultEndpoints();
        group.MapDiagnosticsEndpoints();
        return endpoints;
    }
}
