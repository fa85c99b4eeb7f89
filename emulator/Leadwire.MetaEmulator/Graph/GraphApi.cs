namespace Leadwire.MetaEmulator.Graph;

internal static class GraphApi
{
    public static IServiceCollection AddGraphApi(this IServiceCollection services) => services
        .AddSingleton<FaultRegistry>()
        .AddSingleton<GraphRequestLog>()
        .AddSingleton<GraphStats>()
        .AddSingleton<LeadHandlers>()
        .AddSingleton<FormHandlers>()
        .AddSingleton<PageHandlers>()
        .AddSingleton<AppHandlers>()
        .AddSingleton<GraphDispatcher>();

    /// <summary>Everything not matched by the control API is a Graph call: "/{version}/{id}[/{edge}]".</summary>
    public static IEndpointRouteBuilder MapGraphApi(this IEndpointRouteBuilder endpoints)
    {
        var dispatcher = endpoints.ServiceProvider.GetRequiredService<GraphDispatcher>();
        endpoints.Map("/{**path}", new RequestDelegate(dispatcher.HandleAsync));
        return endpoints;
    }
}
