using Leadwire.MetaEmulator.State;
using Leadwire.MetaEmulator.Webhooks;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Leadwire.MetaEmulator.Control;

internal static class WebhookEndpoints
{
    private const int DefaultLogLimit = 200;

    public static void MapWebhookEndpoints(this RouteGroupBuilder group)
    {
        group.MapPost("/webhooks/deliver", Deliver);
        group.MapPost("/webhooks/raw", SendRawAsync);
        group.MapGet("/webhooks/behaviour", (WebhookBehaviourState behaviour) => TypedResults.Ok(behaviour.ToView()));
        group.MapPut("/webhooks/behaviour", UpdateBehaviour);
        group.MapGet("/webhooks/log", (int? limit, DeliveryLog log) => TypedResults.Ok(log.Latest(limit ?? DefaultLogLimit)));
        group.MapGet("/webhooks/stats", (WebhookCounters counters, WebhookQueue queue) => TypedResults.Ok(counters.ToView(queue.Count)));
    }

    /// <summary>Queues the leadgen change of existing leads again (e.g. to test de-duplication).</summary>
    private static Ok<DeliverWebhooksResult> Deliver(DeliverWebhooksRequest request, EmulatorState state, WebhookQueue queue)
    {
        int queued = 0, skipped = 0, dropped = 0;
        var missing = new List<string>();
        foreach (var id in request.LeadIds ?? [])
        {
            if (!state.Leads.TryGetValue(id, out var lead))
            {
                missing.Add(id);
                continue;
            }

            switch (queue.Enqueue(lead))
            {
                case EnqueueResult.Queued:
                    queued++;
                    break;
                case EnqueueResult.Skipped:
                    skipped++;
                    break;
                default:
                    dropped++;
                    break;
            }
        }

        return TypedResults.Ok(new DeliverWebhooksResult { Queued = queued, Skipped = skipped, Dropped = dropped, Missing = missing });
    }

    /// <summary>One POST of an arbitrary body, right now, bypassing queue, batching, faults and retries.</summary>
    private static async Task<Results<Ok<RawWebhookResult>, ProblemHttpResult>> SendRawAsync(
        RawWebhookRequest request, EmulatorState state, WebhookSender sender, CancellationToken cancellationToken)
    {
        SignatureMode? mode = (request.Signature ?? "valid") switch
        {
            "valid" => SignatureMode.Valid,
            "invalid" => SignatureMode.Invalid,
            "none" => SignatureMode.None,
            _ => null,
        };
        if (mode is null)
        {
            return Failure.BadRequest("signature must be \"valid\", \"invalid\" or \"none\".").ToProblem();
        }

        var app = state.App;
        if (app.CallbackUrl is not { } url)
        {
            return Failure.Conflict("no callback_url is configured.").ToProblem();
        }

        var body = System.Text.Encoding.UTF8.GetBytes(request.Body ?? string.Empty);
        var result = await sender.PostAsync(url, body, app.AppSecret, mode.Value, readBody: true, cancellationToken);
        return TypedResults.Ok(new RawWebhookResult { StatusCode = result.StatusCode, ResponseBody = result.Body, Error = result.Error });
    }

    private static Results<Ok<WebhookBehaviour>, ProblemHttpResult> UpdateBehaviour(WebhookBehaviourUpdate update, WebhookBehaviourState behaviour) =>
        behaviour.Apply(update) is { } problem
            ? Failure.BadRequest(problem).ToProblem()
            : TypedResults.Ok(behaviour.ToView());
}
