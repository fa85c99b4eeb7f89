using System.Globalization;
using System.Text;
using System.Text.Json;
using Leadwire.Data;
using Leadwire.Features.Accounts;
using Microsoft.AspNetCore.Mvc;

namespace Leadwire.Features.Live;

/// <summary>
/// <c>GET /api/v1/events</c>: the live feed as server-sent events (<c>text/event-stream</c>). Each event has an
/// <c>id</c> (counting up per connection), an <c>event</c> name (<see cref="LiveEventTypes"/>) and JSON
/// <c>data</c>. A comment line every <see cref="Heartbeat"/> keeps proxies from closing an idle stream.
/// </summary>
public static class LiveEventsApi
{
    public static readonly TimeSpan Heartbeat = TimeSpan.FromSeconds(15);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    /// <summary>The JSON of one event's <c>data</c> line.</summary>
    public sealed record LiveEventDto(string Type, long WorkspaceId, long? LeadId, long? AssigneeUserId, DateTime At);

    public static WebApplicationBuilder AddLiveEvents(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddSingleton<LiveEvents>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<LiveEvents>());
        builder.Services.AddHostedService<PostgresLiveRelay>();
        return builder;
    }

    public static IEndpointRouteBuilder MapLiveEvents(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/events", StreamAsync)
            .RequireRole(WorkspaceRole.Agent)
            .WithTags("Live")
            .WithSummary("Live feed of lead.created, lead.updated, lead.assigned and stats.changed as server-sent events (agents: their own leads)")
            .Produces<LiveEventDto>(StatusCodes.Status200OK, "text/event-stream")
            .ProducesProblem(StatusCodes.Status400BadRequest);
        return app;
    }

    internal static async Task StreamAsync(
        HttpContext http, Caller caller, LiveEvents live, [FromQuery(Name = "lead_id")] long? leadId, CancellationToken cancellationToken)
    {
        var response = http.Response;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        // Tells nginx-style proxies not to buffer the stream.
        response.Headers["X-Accel-Buffering"] = "no";

        using var subscription = live.Subscribe(caller.WorkspaceId, caller.SeesOnlyOwnLeads ? caller.UserId : null, leadId);
        await WriteAsync(response, ": connected\nretry: 3000\n\n", cancellationToken);

        var events = subscription.Events;
        long id = 0;
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                using var idle = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                idle.CancelAfter(Heartbeat);
                bool more;
                try
                {
                    more = await events.WaitToReadAsync(idle.Token);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    await WriteAsync(response, ": keep-alive\n\n", cancellationToken);
                    continue;
                }
                if (!more)
                {
                    return;
                }
                var text = new StringBuilder();
                while (events.TryRead(out var next))
                {
                    var data = JsonSerializer.Serialize(new LiveEventDto(next.Type, next.WorkspaceId, next.LeadId, next.AssigneeUserId, next.At), Json);
                    text.Append(CultureInfo.InvariantCulture, $"id: {++id}\nevent: {next.Type}\ndata: {data}\n\n");
                }
                await WriteAsync(response, text.ToString(), cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The client went away.
        }
    }

    private static async Task WriteAsync(HttpResponse response, string text, CancellationToken cancellationToken)
    {
        await response.WriteAsync(text, cancellationToken);
        await response.Body.FlushAsync(cancellationToken);
    }
}
