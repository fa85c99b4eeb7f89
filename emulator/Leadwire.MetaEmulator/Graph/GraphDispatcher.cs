using Leadwire.MetaEmulator.State;
using Microsoft.Extensions.Logging;

namespace Leadwire.MetaEmulator.Graph;

/// <summary>
/// Every Graph request: parse the path, find the object, authenticate (104/190/appsecret_proof), fire injected
/// faults, check the token may see the object (100/33), run the handler, then record the request.
/// </summary>
internal sealed partial class GraphDispatcher(
    EmulatorState state,
    FaultRegistry faults,
    GraphRequestLog requestLog,
    GraphStats stats,
    LeadHandlers leads,
    FormHandlers forms,
    PageHandlers pages,
    AppHandlers apps,
    ILogger<GraphDispatcher> logger)
{
    public async Task HandleAsync(HttpContext http)
    {
        var path = http.Request.Path.Value ?? "/";
        if (GraphRoute.IsControlPath(path))
        {
            // Routing also lands here when a control endpoint exists but its JSON body came without the JSON content type.
            var wrongBody = http.Request.ContentType is not null && !http.Request.HasJsonContentType();
            await TypedResults.Problem(
                detail: wrongBody
                    ? "Control API bodies must be JSON (Content-Type: application/json)."
                    : $"No control endpoint {http.Request.Method} {path}.",
                statusCode: wrongBody ? StatusCodes.Status415UnsupportedMediaType : StatusCodes.Status404NotFound).ExecuteAsync(http);
            return;
        }

        var call = new GraphCall(http, GraphRoute.Parse(path, state.Settings.GraphVersion), state);
        try
        {
            await ProcessAsync(call);
        }
        catch (OperationCanceledException) when (http.RequestAborted.IsCancellationRequested)
        {
            // The client went away; nothing to answer.
        }
        catch (Exception exception) when (!http.Response.HasStarted)
        {
            LogUnexpected(logger, exception, http.Request.Method, path);
            await GraphResponse.SendErrorAsync(call, GraphErrors.Unknown());
        }
        finally
        {
            stats.Record(call.Endpoint, call.ErrorCode is not null);
            requestLog.Add(new GraphRequestEntry(
                http.Request.Method,
                path,
                http.Request.QueryString.Value,
                call.HadToken,
                call.HadProof,
                http.Response.StatusCode,
                call.ErrorCode,
                call.Endpoint,
                state.Time.GetUtcNow()));
        }
    }

    private async Task ProcessAsync(GraphCall call)
    {
        var http = call.Http;
        if (!call.Route.IsValid)
        {
            await GraphResponse.SendErrorAsync(call, GraphErrors.UnknownPath(call.Route.Path));
            return;
        }

        call.Target = GraphTarget.Resolve(state, call.Route.Id);
        call.Endpoint = GraphEndpointNames.Classify(call.Method, call.Route.Edge, call.Target.Kind);
        call.Params = HttpMethods.IsGet(call.Method)
            ? new GraphParams(http.Request.Query, null, null)
            : await GraphParams.ReadAsync(http.Request, http.RequestAborted);
        if (call.Params is null)
        {
            await GraphResponse.SendErrorAsync(call, GraphErrors.InvalidParameter("The request body must be a JSON object or form-encoded"));
            return;
        }

        if (Authenticate(call) is { } authError)
        {
            await GraphResponse.SendErrorAsync(call, authError);
            return;
        }

        if (faults.HasAny && faults.TryFire(call.Endpoint, call.Route, call.Target.PageId) is { } fault)
        {
            if (fault.Request.LatencyMs is > 0 and var latency)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(latency), state.Time, http.RequestAborted);
            }

            if (fault.Error is { } injected)
            {
                call.UsageOverride = fault.Request.Usage;
                await GraphResponse.SendErrorAsync(call, injected);
                return;
            }
        }

        if (Authorize(call) is { } accessError)
        {
            await GraphResponse.SendErrorAsync(call, accessError);
            return;
        }

        var target = call.Target;
        await (call.Endpoint switch
        {
            GraphEndpoint.Lead => LeadHandlers.GetAsync(call, target.Lead!),
            GraphEndpoint.DeleteLead => leads.DeleteAsync(call, target.Lead!),
            GraphEndpoint.Form => forms.GetAsync(call, target.Form!),
            GraphEndpoint.UpdateForm => FormHandlers.UpdateAsync(call, target.Form!),
            GraphEndpoint.FormLeads => forms.LeadsAsync(call, target.Form!),
            GraphEndpoint.TestLeads => forms.TestLeadsAsync(call, target.Form!),
            GraphEndpoint.Page => PageHandlers.GetAsync(call, target.Page!),
            GraphEndpoint.LeadgenForms => pages.FormsAsync(call, target.Page!),
            GraphEndpoint.SubscribedApps => pages.SubscribedAppsAsync(call, target.Page!),
            GraphEndpoint.App => apps.GetAsync(call),
            GraphEndpoint.Subscriptions => apps.SubscriptionsAsync(call),
            _ => GraphResponse.SendErrorAsync(call, GraphErrors.Unsupported(call.Method, call.Route.Id)),
        });
    }

    private GraphError? Authenticate(GraphCall call)
    {
        var proof = call.Param("appsecret_proof");
        call.HadProof = proof is not null;
        var token = call.Param("access_token") ?? BearerToken(call.Http.Request);
        if (string.IsNullOrEmpty(token))
        {
            return GraphErrors.MissingToken();
        }

        call.HadToken = true;
        var app = state.App;
        if (string.Equals(token, app.AppToken, StringComparison.Ordinal))
        {
            // The app token already contains the secret, so no appsecret_proof is asked for.
            call.IsAppToken = true;
            return null;
        }

        if (!state.PagesByToken.TryGetValue(token, out var page))
        {
            return state.RevokedTokens.ContainsKey(token) ? GraphErrors.RevokedToken() : GraphErrors.UnparsableToken();
        }

        var current = page.Token;
        if (!string.Equals(current.Value, token, StringComparison.Ordinal))
        {
            return GraphErrors.RevokedToken();
        }

        var now = state.Time.GetUtcNow();
        if (current.ExpiresAt is { } expiresAt && expiresAt <= now)
        {
            return GraphErrors.ExpiredToken(expiresAt, now);
        }

        call.TokenPage = page;
        if (app.RequireAppsecretProof)
        {
            if (proof is null)
            {
                return GraphErrors.MissingProof();
            }

            if (!MetaAppSecretProof.Matches(token, proof, app.SecretKey))
            {
                return GraphErrors.InvalidProof();
            }
        }

        return null;
    }

    /// <summary>Unknown ids and objects of another page look the same: 100/33, so a token cannot probe ids.</summary>
    private GraphError? Authorize(GraphCall call)
    {
        var target = call.Target;
        var unsupported = GraphErrors.Unsupported(call.Method, call.Route.Id);
        switch (target.Kind)
        {
            case TargetKind.None:
                return unsupported;
            case TargetKind.App:
                return call.Endpoint switch
                {
                    GraphEndpoint.App => null,
                    GraphEndpoint.Subscriptions => call.IsAppToken ? null : GraphErrors.AppTokenRequired(),
                    _ => UnknownOperation(call),
                };
        }

        if (call.IsAppToken)
        {
            return call.Endpoint == GraphEndpoint.SubscribedApps ? GraphErrors.PageTokenRequired() : unsupported;
        }

        if (!string.Equals(call.TokenPage?.Id, target.PageId, StringComparison.Ordinal))
        {
            return unsupported;
        }

        if (target.Lead is { } lead && lead.CreatedUnix < state.RetentionFloor)
        {
            return unsupported;
        }

        return call.Endpoint == GraphEndpoint.Unknown ? UnknownOperation(call) : null;
    }

    private static GraphError UnknownOperation(GraphCall call) =>
        call.Route.Edge is { } edge && HttpMethods.IsGet(call.Method)
            ? GraphErrors.NonexistingField(edge, call.Target.NodeType)
            : GraphErrors.Unsupported(call.Method, call.Route.Id);

    private static string? BearerToken(HttpRequest request)
    {
        var header = request.Headers.Authorization;
        if (header.Count == 0 || header[0] is not { } value)
        {
            return null;
        }

        foreach (var scheme in (ReadOnlySpan<string>)["Bearer ", "OAuth "])
        {
            if (value.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
            {
                return value[scheme.Length..].Trim();
            }
        }

        return null;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Unexpected error in Graph request {Method} {Path}")]
    private static partial void LogUnexpected(ILogger logger, Exception exception, string method, string path);
}
