using System.Collections.Concurrent;
using System.Threading.Channels;

namespace Leadwire.Features.Live;

/// <summary>
/// The live feed behind <c>GET /api/v1/events</c> and the dashboard (PRODUCT.md E3). Writers call
/// <see cref="Publish"/> after their commit; each subscriber gets the events of its workspace that it may see.
/// With several instances on one PostgreSQL, <see cref="PostgresLiveRelay"/> carries each instance's events to the
/// others. <c>stats.changed</c> is derived here, on every instance, from the lead events it sees: at most one per
/// workspace per <see cref="StatsInterval"/>.
/// A subscriber that does not keep up loses its oldest events rather than slowing anyone down: the feed says what
/// changed, and a client that reconnects reads the current state anyway.
/// </summary>
public sealed class LiveEvents(TimeProvider time) : BackgroundService
{
    public static readonly TimeSpan StatsInterval = TimeSpan.FromSeconds(1);

    /// <summary>Events a slow subscriber may be behind before its oldest are dropped.</summary>
    private const int SubscriberBuffer = 1024;

    private readonly Lock _lock = new();
    private readonly List<Subscription> _subscriptions = [];
    private readonly ConcurrentDictionary<long, byte> _statsDue = new();
    private readonly Channel<LiveEvent> _relay = Channel.CreateBounded<LiveEvent>(
        new BoundedChannelOptions(10_000) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });

    /// <summary>Tells this instance's subscribers now, and (through the relay) the other instances'.</summary>
    public void Publish(LiveEvent live)
    {
        ArgumentNullException.ThrowIfNull(live);
        Deliver(live);
        if (RelayEnabled)
        {
            _relay.Writer.TryWrite(live);
        }
    }

    public void Publish(IEnumerable<LiveEvent> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        foreach (var live in events)
        {
            Publish(live);
        }
    }

    /// <summary>Set by <see cref="PostgresLiveRelay"/> when there are other instances to tell.</summary>
    internal bool RelayEnabled { get; set; }

    internal ChannelReader<LiveEvent> Outgoing => _relay.Reader;

    /// <summary>An event another instance published.</summary>
    internal void DeliverFromPeer(LiveEvent live) => Deliver(live);

    /// <summary>
    /// Events of <paramref name="workspaceId"/>; only those of leads assigned to <paramref name="assignee"/> (and the
    /// workspace's stats) when it is set, as for an agent; only those of <paramref name="leadId"/> when that is set.
    /// </summary>
    public Subscription Subscribe(long workspaceId, long? assignee, long? leadId)
    {
        var subscription = new Subscription(this, workspaceId, assignee, leadId);
        lock (_lock)
        {
            _subscriptions.Add(subscription);
        }
        return subscription;
    }

    private void Deliver(LiveEvent live)
    {
        Subscription[] subscriptions;
        lock (_lock)
        {
            subscriptions = [.. _subscriptions];
        }
        foreach (var subscription in subscriptions)
        {
            subscription.Offer(live);
        }
        if (live.Type != LiveEventTypes.StatsChanged)
        {
            _statsDue.TryAdd(live.WorkspaceId, 0);
        }
    }

    private void Remove(Subscription subscription)
    {
        lock (_lock)
        {
            _subscriptions.Remove(subscription);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(StatsInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                foreach (var workspaceId in _statsDue.Keys)
                {
                    if (_statsDue.TryRemove(workspaceId, out _))
                    {
                        Deliver(new LiveEvent(LiveEventTypes.StatsChanged, workspaceId, null, null, time.GetUtcNow().UtcDateTime));
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    /// <summary>One listener; dispose it when the client goes away.</summary>
    public sealed class Subscription : IDisposable
    {
        private readonly LiveEvents _owner;
        private readonly long _workspaceId;
        private readonly long? _assignee;
        private readonly long? _leadId;
        private readonly Channel<LiveEvent> _events = Channel.CreateBounded<LiveEvent>(
            new BoundedChannelOptions(SubscriberBuffer) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });

        internal Subscription(LiveEvents owner, long workspaceId, long? assignee, long? leadId)
        {
            _owner = owner;
            _workspaceId = workspaceId;
            _assignee = assignee;
            _leadId = leadId;
        }

        public ChannelReader<LiveEvent> Events => _events.Reader;

        internal void Offer(LiveEvent live)
        {
            if (Wants(live))
            {
                _events.Writer.TryWrite(live);
            }
        }

        private bool Wants(LiveEvent live)
        {
            if (live.WorkspaceId != _workspaceId)
            {
                return false;
            }
            if (live.Type == LiveEventTypes.StatsChanged)
            {
                return _leadId is null;
            }
            return (_leadId is null || live.LeadId == _leadId) && (_assignee is null || live.AssigneeUserId == _assignee);
        }

        public void Dispose()
        {
            _owner.Remove(this);
            _events.Writer.TryComplete();
        }
    }
}
