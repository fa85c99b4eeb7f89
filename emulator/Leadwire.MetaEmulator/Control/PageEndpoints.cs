using Leadwire.MetaEmulator.Json;
using Leadwire.MetaEmulator.State;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Leadwire.MetaEmulator.Control;

internal static class PageEndpoints
{
    public static void MapPageEndpoints(this RouteGroupBuilder group)
    {
        group.MapPost("/pages", (CreatePageRequest request, PageOperations pages) => pages.Create(request).ToResult());
        group.MapGet("/pages", (PageOperations pages) => TypedResults.Ok(pages.List()));
        group.MapPost("/pages/{pageId}/token", RotateTokenAsync);
        group.MapPost("/pages/{pageId}/expire-token", (string pageId, PageOperations pages) => pages.ExpireToken(pageId).ToResult());
        group.MapPut("/pages/{pageId}/throttle", (string pageId, UsageThrottle throttle, PageOperations pages) =>
            pages.SetThrottle(pageId, throttle).ToResult());
    }

    /// <summary>The body is optional (no body = generated token, no expiry), so it is read by hand: a declared body
    /// parameter would make routing reject a POST without Content-Type.</summary>
    private static async Task<Results<Ok<PageTokenView>, ProblemHttpResult>> RotateTokenAsync(
        string pageId, HttpRequest request, PageOperations pages, CancellationToken cancellationToken)
    {
        RotateTokenRequest? body = null;
        if (request.HasJsonContentType() && request.ContentLength is not 0)
        {
            body = await request.ReadFromJsonAsync(EmulatorJsonContext.Default.RotateTokenRequest, cancellationToken);
        }

        return pages.RotateToken(pageId, body).ToResult();
    }
}
