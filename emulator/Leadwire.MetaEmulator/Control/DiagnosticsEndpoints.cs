using Leadwire.MetaEmulator.Graph;

namespace Leadwire.MetaEmulator.Control;

internal static class DiagnosticsEndpoints
{
    private const int DefaultLimit = 100;

    public static void MapDiagnosticsEndpoints(this RouteGroupBuilder group)
    {
        group.MapGet("/requests", (int? limit, GraphRequestLog log) => TypedResults.Ok(log.Latest(limit ?? DefaultLimit)));
        group.MapGet("/stats", (GraphStats stats) => TypedResults.Ok(stats.ToView()));
    }
}
