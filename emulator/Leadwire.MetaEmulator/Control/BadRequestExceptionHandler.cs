using Microsoft.AspNetCore.Diagnostics;

namespace Leadwire.MetaEmulator.Control;

/// <summary>Malformed control-API JSON (missing required members, wrong types) becomes a 400 ProblemDetails that
/// names the problem instead of an empty 400.</summary>
internal sealed class BadRequestExceptionHandler(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not BadHttpRequestException badRequest)
        {
            return false;
        }

        httpContext.Response.StatusCode = badRequest.StatusCode;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails =
            {
                Status = badRequest.StatusCode,
                Title = "Bad Request",
                Detail = badRequest.InnerException?.Message ?? badRequest.Message,
            },
        });
    }
}
