using Leadwire.Features.Live;

namespace Leadwire.Dashboard;

/// <summary>
/// A live page's subscription to the <see cref="LiveEvents"/> hub (the source of GET /api/v1/events), with the same
/// filters as the API: the workspace, an agent's own leads, optionally one lead. Events that arrive together (a
/// batch of leads, a bulk chunk) are handed over as one batch after a short gather, so a page reloads once for them.
/// A failing reload is logged and the feed goes on: a page must not go quietly stale.
/// </summary>
public sealed partial class LivePageFeed : IDisposable
{
    private static readonly TimeSpan Gather = TimeSpan.FromMilliseconds(100);

    private readonly LiveEvents.Subscription _subscription;
    private readonly CancellationTokenSource _stop = new();

    private LivePageFeed(LiveEvents.Subscription subscription) => _subscription = subscription;

    public static LivePageFeed Start(
        LiveEvents live, DashboardContext context, long? leadId, Func<IReadOnlyList<LiveEvent>, Task> onBatch, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(live);
        ArgumentNullException.ThrowIfNull(context);
        var caller = context.Caller;
        var feed = new LivePageFeed(live.Subscribe(caller.WorkspaceId, caller.SeesOnlyOwnLeads ? caller.UserId : null, leadId));
        _ = feed.RunAsync(onBatch, logger);
        return feed;
    }

    private async Task RunAsync(Func<IReadOnlyList<LiveEvent>, Task> onBatch, ILogger logger)
    {
        var events = _subscription.Events;
        var token = _stop.Token;
        try
        {
            while (await events.WaitToReadAsync(token))
            {
                await Task.Delay(Gather, token);
                var batch = new List<LiveEvent>();
                while (events.TryRead(out var live))
                {
                    batch.Add(live);
                }
                try
                {
                    await onBatch(batch);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    LogUpdateFailed(logger, e);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The page went away.
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _stop.Dispose();
        _subscription.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A dashboard page could not apply a live update")]
    private static partial void LogUpdateFailed(ILogger logger, Exception exception);
}
