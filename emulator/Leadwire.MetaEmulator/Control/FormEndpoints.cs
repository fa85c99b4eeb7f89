using Leadwire.MetaEmulator.State;
using Microsoft.AspNetCore.Mvc;

namespace Leadwire.MetaEmulator.Control;

internal static class FormEndpoints
{
    public static void MapFormEndpoints(this RouteGroupBuilder group)
    {
        group.MapPost("/forms", (CreateFormRequest request, FormOperations forms) => forms.Create(request).ToResult());
        group.MapGet("/forms", ([FromQuery(Name = "page_id")] string? pageId, FormOperations forms) => TypedResults.Ok(forms.List(pageId)));
    }
}
