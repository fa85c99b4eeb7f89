using System.Security.Cryptography;
using System.Text;
using Leadwire.Infrastructure;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Leadwire.Features.Webhooks;

/// <summary>
/// <c>/webhooks/meta</c>: Meta's subscription handshake and event deliveries. Verify, record, acknowledge — the
/// request path never parses a delivery into domain rows.
/// </summary>
public static partial class MetaWebhookEndpoints
{
    public static IEndpointRouteBuilder MapMetaWebhooks(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/webhooks/meta").AllowAnonymous().ExcludeFromDescription();
        group.MapGet("/", Handshake);
        // The receiver is resolved once: the delivery path is the hottest in Leadwire, and a handler taking only
        // HttpContext spares each request the service lookups (and the request scope) that parameters would cost.
        var receiver = ActivatorUtilities.CreateInstance<Receiver>(app.ServiceProvider);
        // (A Delegate, not a RequestDelegate, so that the typed result is written and described.)
        Func<HttpContext, Task<Results<Ok<string>, ProblemHttpResult>>> receive = receiver.ReceiveAsync;
        group.MapPost("/", receive).DisableAntiforgery();
        return app;
    }

    internal static Results<ContentHttpResult, ProblemHttpResult> Handshake(HttpRequest request, IOptionsMonitor<MetaOptions> meta)
    {
        var mode = request.Query["hub.mode"].ToString();
        var token = request.Query["hub.verify_token"].ToString();
        var challenge = request.Query["hub.challenge"].ToString();
        var expected = meta.CurrentValue.VerifyToken ?? "";

        var tokenMatches = expected.Length > 0 && CryptographicOperations.FixedTimeEquals(
            SHA256.HashData(Encoding.UTF8.GetBytes(token)), SHA256.HashData(Encoding.UTF8.GetBytes(expected)));
        if (mode != "subscribe" || !tokenMatches || challenge.Length == 0)
        {
            return TypedResults.Problem(
                title: "Verification refused",
                detail: "hub.mode must be 'subscribe' and hub.verify_token must match Leadwire:Meta:VerifyToken.",
                statusCode: StatusCodes.Status403Forbidden);
        }
        return TypedResults.Text(challenge, "text/plain", Encoding.UTF8);
    }

    internal sealed class Receiver(
        WebhookInbox inbox,
        WebhookStats stats,
        IOptionsMonitor<MetaOptions> meta,
        IOptions<WebhookOptions> webhookOptions,
        ILogger<WebhookInbox> logger)
    {
        public async Task<Results<Ok<string>, ProblemHttpResult>> ReceiveAsync(HttpContext context)
        {
            var limit = webhookOptions.Value.MaxBodyBytes;
            if (context.Request.ContentLength > limit)
            {
                return TooLarge(stats, logger, limit, context.Request.ContentLength.Value);
            }

            var bodySize = context.Features.Get<IHttpMaxRequestBodySizeFeature>();
            if (bodySize is { IsReadOnly: false })
            {
                // Our own limit below answers with ProblemDetails; Kestrel's would cut the connection short of that.
                bodySize.MaxRequestBodySize = limit + 1L;
            }

            var body = await ReadBodyAsync(context.Request, limit, context.RequestAborted);
            if (body is null)
            {
                return TooLarge(stats, logger, limit, null);
            }

            var secret = meta.CurrentValue.AppSecretBytes;
            var header = context.Request.Headers["X-Hub-Signature-256"].ToString();
            if (secret.Length == 0 || !WebhookSignature.IsValid(body, header.Length == 0 ? null : header, secret))
            {
                stats.CountRejectedSignature();
                LogRejectedSignature(logger, header.Length == 0 ? "missing" : "invalid", body.Length, context.Connection.RemoteIpAddress?.ToString());
                return TypedResults.Problem(
                    title: "Invalid signature",
                    detail: header.Length == 0
                        ? "The X-Hub-Signature-256 header is missing."
                        : "X-Hub-Signature-256 does not match the body signed with the app secret.",
                    statusCode: StatusCodes.Status401Unauthorized);
            }

            try
            {
                await inbox.AcceptAsync(body, context.RequestAborted);
            }
            catch (InboxUnavailableException)
            {
                // Not acknowledged, so Meta keeps the delivery and retries it.
                return TypedResults.Problem(
                    title: "Temporarily unavailable",
                    detail: "The delivery could not be stored; please retry.",
                    statusCode: StatusCodes.Status503ServiceUnavailable);
            }
            stats.CountAccepted();
            return TypedResults.Ok("EVENT_RECEIVED");
        }
    }

    /// <summary>Reads at most <paramref name="limit"/> bytes; null when the body is larger.</summary>
    private static async Task<byte[]?> ReadBodyAsync(HttpRequest request, int limit, CancellationToken cancellationToken)
    {
        var initial = request.ContentLength is { } length ? (int)length : 4096;
        var buffer = new byte[Math.Min(initial, limit) + (request.ContentLength is null ? 0 : 1)];
        var total = 0;
        try
        {
            while (true)
            {
                if (total == buffer.Length)
                {
                    if (buffer.Length > limit)
                    {
                        return null;
                    }
                    Array.Resize(ref buffer, Math.Min(buffer.Length * 2, limit + 1));
                }
                var read = await request.Body.ReadAsync(buffer.AsMemory(total), cancellationToken);
                if (read == 0)
                {
                    break;
                }
                total += read;
                if (total > limit)
                {
                    return null;
                }
            }
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return null;
        }
        return total == buffer.Length ? buffer : buffer[..total];
    }

    private static ProblemHttpResult TooLarge(WebhookStats stats, ILogger logger, int limit, long? size)
    {
        stats.CountRejectedSize();
        LogTooLarge(logger, size, limit);
        return TypedResults.Problem(
            title: "Payload too large",
            detail: $"Webhook bodies are limited to {limit} bytes (Leadwire:Webhooks:MaxBodyBytes).",
            statusCode: StatusCodes.Status413PayloadTooLarge);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Rejected a webhook with a {Reason} signature ({Bytes} bytes) from {Remote}")]
    private static partial void LogRejectedSignature(ILogger logger, string reason, int bytes, string? remote);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Rejected a webhook of {Bytes} bytes; the limit is {Limit}")]
    private static partial void LogTooLarge(ILogger logger, long? bytes, int limit);
}
