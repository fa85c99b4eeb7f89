using Leadwire.MetaEmulator.State;
using Leadwire.MetaEmulator.Webhooks;

namespace Leadwire.MetaEmulator.Graph;

/// <summary>GET /{app-id} and GET|POST|DELETE /{app-id}/subscriptions (app token).</summary>
internal sealed class AppHandlers(EmulatorState state, CallbackVerifier verifier)
{
    public Task GetAsync(GraphCall call)
    {
        if (!PageJson.AppFields.TryParse(call.Param("fields"), out var mask, out var unknown))
        {
            return GraphResponse.SendErrorAsync(call, PageJson.AppFields.Error(unknown!));
        }

        var writer = GraphResponse.StartBody();
        PageJson.WriteApp(writer, state.App, mask);
        return GraphResponse.SendAsync(call);
    }

    public async Task SubscriptionsAsync(GraphCall call)
    {
        if (HttpMethods.IsGet(call.Method))
        {
            await ListAsync(call);
            return;
        }

        var objectType = call.Param("object");
        if (objectType is not null && objectType != "page")
        {
            await GraphResponse.SendErrorAsync(call, GraphErrors.InvalidParameter("The emulator only supports object=page"));
            return;
        }

        if (HttpMethods.IsDelete(call.Method))
        {
            var current = state.App;
            state.App = current.WithSubscription(null, current.VerifyToken, []);
            await GraphResponse.SendSuccessAsync(call);
            return;
        }

        if (objectType is null)
        {
            await GraphResponse.SendErrorAsync(call, GraphErrors.InvalidParameter("The parameter object is required"));
            return;
        }

        var callbackUrl = call.Param("callback_url");
        if (callbackUrl is null || !Uri.TryCreate(callbackUrl, UriKind.Absolute, out var callback)
            || (callback.Scheme != Uri.UriSchemeHttp && callback.Scheme != Uri.UriSchemeHttps))
        {
            await GraphResponse.SendErrorAsync(call, GraphErrors.InvalidParameter("Param callback_url must be a valid http(s) URL"));
            return;
        }

        var verifyToken = call.Param("verify_token");
        if (string.IsNullOrEmpty(verifyToken))
        {
            await GraphResponse.SendErrorAsync(call, GraphErrors.InvalidParameter("The parameter verify_token is required"));
            return;
        }

        var fields = PageHandlers.ParseFieldList(call.Param("fields"));
        if (fields is not { Count: > 0 })
        {
            await GraphResponse.SendErrorAsync(call, GraphErrors.InvalidParameter("The parameter fields is required"));
            return;
        }

        // Meta checks the callback before storing anything; a failed handshake leaves the old subscription alone.
        var failure = await verifier.VerifyAsync(callbackUrl, verifyToken, call.Http.RequestAborted);
        if (failure is not null)
        {
            await GraphResponse.SendErrorAsync(call, GraphErrors.CallbackVerificationFailed(failure));
            return;
        }

        state.App = state.App.WithSubscription(callbackUrl, verifyToken, fields);
        await GraphResponse.SendSuccessAsync(call);
    }

    private Task ListAsync(GraphCall call)
    {
        var app = state.App;
        var writer = GraphResponse.StartBody();
        writer.WriteStartObject();
        writer.WriteStartArray("data");
        if (app.CallbackUrl is { } callbackUrl)
        {
            writer.WriteStartObject();
            writer.WriteString("object", "page");
            writer.WriteString("callback_url", callbackUrl);
            writer.WriteBoolean("active", true);
            writer.WriteStartArray("fields");
            foreach (var field in app.SubscribedFields)
            {
                writer.WriteStartObject();
                writer.WriteString("name", field);
                writer.WriteString("version", state.Settings.GraphVersion);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
        return GraphResponse.SendAsync(call);
    }
}
