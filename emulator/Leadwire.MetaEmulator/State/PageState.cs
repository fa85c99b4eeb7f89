namespace Leadwire.MetaEmulator.State;

internal sealed record PageToken(string Value, DateTimeOffset? ExpiresAt);

internal sealed class PageState
{
    private readonly Lock _formsGate = new();
    private volatile PageToken _token;
    private volatile bool _subscribed;
    private volatile IReadOnlyList<string> _subscribedFields = ["leadgen"];
    private volatile UsageThrottle _throttle = UsageHeaders.Zero;
    private volatile string _usageHeader;
    private volatile FormState[] _forms = [];

    public PageState(string id, string name, PageToken token, bool subscribed, bool adsAccess)
    {
        Id = id;
        Number = long.Parse(id, System.Globalization.CultureInfo.InvariantCulture);
        Name = name;
        AdsAccess = adsAccess;
        _token = token;
        _subscribed = subscribed;
        _usageHeader = UsageHeaders.Business(id, UsageHeaders.Zero);
    }

    public string Id { get; }

    public long Number { get; }

    public string Name { get; }

    public bool AdsAccess { get; }

    /// <summary>Serialises token rotation so two rotations cannot both keep their old token alive.</summary>
    public Lock TokenGate { get; } = new();

    public PageToken Token
    {
        get => _token;
        set => _token = value;
    }

    public bool Subscribed => _subscribed;

    public IReadOnlyList<string> SubscribedFields => _subscribed ? _subscribedFields : [];

    public bool ReceivesLeadgen => _subscribed && _subscribedFields.Contains("leadgen", StringComparer.Ordinal);

    public UsageThrottle Throttle => _throttle;

    /// <summary>Pre-built X-Business-Use-Case-Usage value.</summary>
    public string UsageHeader => _usageHeader;

    /// <summary>Forms sorted by (created_time, id) ascending; the array is never mutated once published.</summary>
    public FormState[] Forms => _forms;

    public void Subscribe(IReadOnlyList<string> fields)
    {
        _subscribedFields = fields;
        _subscribed = true;
    }

    public void Unsubscribe() => _subscribed = false;

    public void SetThrottle(UsageThrottle throttle)
    {
        _throttle = throttle;
        _usageHeader = UsageHeaders.Business(Id, throttle);
    }

    public void AddForm(FormState form)
    {
        lock (_formsGate)
        {
            var current = _forms;
            var next = new FormState[current.Length + 1];
            var at = current.Length;
            while (at > 0 && CreationKey.Compare(current[at - 1].Key, form.Key) > 0)
            {
                at--;
            }

            Array.Copy(current, 0, next, 0, at);
            next[at] = form;
            Array.Copy(current, at, next, at + 1, current.Length - at);
            _forms = next;
        }
    }

    public PageView ToView() => new()
    {
        Id = Id,
        Name = Name,
        AccessToken = Token.Value,
        TokenExpiresAt = Token.ExpiresAt,
        Subscribed = Subscribed,
        AdsAccess = AdsAccess,
    };
}
