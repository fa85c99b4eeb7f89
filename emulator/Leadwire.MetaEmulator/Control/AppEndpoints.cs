using Leadwire.MetaEmulator.State;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Leadwire.MetaEmulator.Control;

internal static class AppEndpoints
{
    public static void MapAppEndpoints(this RouteGroupBuilder group)
    {
        group.MapGet("/app", Get);
        group.MapPut("/app", Update);
        group.MapPut("/app/throttle", SetThrottle);
    }

    private static Ok<AppSettingsView> Get(EmulatorState state) => TypedResults.Ok(state.App.ToView(state.Settings.GraphVersion));

    private static Results<Ok<AppSettingsView>, ProblemHttpResult> Update(AppSettingsUpdate update, EmulatorState state)
    {
        if (update.AppId is not null && !MetaEmulatorSettings.IsNumeric(update.AppId))
        {
            return Failure.BadRequest("app_id must be a numeric string.").ToProblem();
        }

        if (update.AppSecret is { Length: 0 } || update.VerifyToken is { Length: 0 } || update.AppName is { Length: 0 })
        {
            return Failure.BadRequest("app_secret, verify_token and app_name must not be empty.").ToProblem();
        }

        if (update.CallbackUrl is { Length: > 0 } url && !Uri.TryCreate(url, UriKind.Absolute, out _))
        {
            return Failure.BadRequest("callback_url must be an absolute URL (or \"\" to remove it).").ToProblem();
        }

        state.App = state.App.With(update);
        return TypedResults.Ok(state.App.ToView(state.Settings.GraphVersion));
    }

    private static Ok<UsageThrottle> SetThrottle(UsageThrottle throttle, EmulatorState state)
    {
        state.AppThrottle = throttle;
        return TypedResults.Ok(throttle);
    }
}
