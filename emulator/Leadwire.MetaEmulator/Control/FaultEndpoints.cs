using Leadwire.MetaEmulator.Graph;
using Leadwire.MetaEmulator.State;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Leadwire.MetaEmulator.Control;

internal static class FaultEndpoints
{
    public static void MapFaultEndpoints(this RouteGroupBuilder group)
    {
        group.MapPost("/faults", (FaultRequest request, FaultRegistry faults) => faults.Add(request).ToResult());
        group.MapGet("/faults", (FaultRegistry faults) => TypedResults.Ok(faults.List()));
        group.MapDelete("/faults", (FaultRegistry faults) =>
        {
            faults.Clear();
            return TypedResults.NoContent();
        });
        group.MapDelete("/faults/{id}", Remove);
    }

    private static Results<NoContent, ProblemHttpResult> Remove(string id, FaultRegistry faults) =>
        faults.Remove(id) ? TypedResults.NoContent() : Failure.NotFound($"fault {id} does not exist.").ToProblem();
}
