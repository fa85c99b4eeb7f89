using System.Net;

namespace Leadwire.Dashboard;

/// <summary>
/// Errors a person meets in the browser — an address that does not exist, an expired form, a failure while a page
/// renders — as a short HTML page in words with a way back, instead of the API's JSON. Only for dashboard paths and
/// requests that ask for HTML; the API keeps its ProblemDetails.
/// </summary>
public sealed class DashboardProblemPage : IProblemDetailsWriter
{
    public bool CanWrite(ProblemDetailsContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var request = context.HttpContext.Request;
        return DashboardSetup.IsDashboardPath(request.Path)
            && request.Headers.Accept.ToString().Contains("text/html", StringComparison.OrdinalIgnoreCase);
    }

    public async ValueTask WriteAsync(ProblemDetailsContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var http = context.HttpContext;
        var status = context.ProblemDetails.Status ?? http.Response.StatusCode;
        var (title, detail) = status switch
        {
            StatusCodes.Status404NotFound => ("Page not found", "There is no page at this address. It may have moved, or the link may be mistyped."),
            StatusCodes.Status400BadRequest => ("The form could not be sent", "The page was open for too long or was sent twice. Go back, reload it and try again."),
            StatusCodes.Status403Forbidden => ("Not allowed", "Your role in this workspace does not allow this. Ask an owner of the workspace."),
            >= 500 => ("Something went wrong", "Leadwire could not show this page. The error has been logged; try again in a moment."),
            _ => (context.ProblemDetails.Title ?? "Request failed", context.ProblemDetails.Detail ?? "The request could not be completed."),
        };
        http.Response.ContentType = "text/html; charset=utf-8";
        await http.Response.WriteAsync($$"""
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{{WebUtility.HtmlEncode(title)}} · Leadwire</title>
            <style>body{font-family:system-ui,sans-serif;max-width:34rem;margin:4rem auto;padding:0 1rem;color:#1d2330}a{color:#1f5fd6}</style>
            </head><body><main><h1>{{WebUtility.HtmlEncode(title)}}</h1><p>{{WebUtility.HtmlEncode(detail)}}</p>
            <p><a href="/">Go to the leads</a></p></main></body></html>
            """);
    }
}
