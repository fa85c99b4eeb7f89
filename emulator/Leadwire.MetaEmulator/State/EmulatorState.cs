using System.Collections.Concurrent;
using System.Globalization;

namespace Leadwire.MetaEmulator.State;

/// <summary>
/// Everything the emulator knows, in memory. Lookups are lock-free dictionaries; small immutable snapshots
/// (app config, a page's forms, a form's leads) are swapped whole so Graph reads never take a global lock.
/// </summary>
internal sealed class EmulatorState
{
    private volatile AppConfig _app;
    private volatile UsageThrottle _appThrottle = UsageHeaders.Zero;
    private volatile string _appUsageHeader = UsageHeaders.App(UsageHeaders.Zero);

    public EmulatorState(MetaEmulatorSettings settings, TimeProvider time)
    {
        Settings = settings;
        Time = time;
        _app = AppConfig.FromSettings(settings);
    }

    public MetaEmulatorSettings Settings { get; }

    public TimeProvider Time { get; }

    public AppConfig App
    {
        get => _app;
        set => _app = value;
    }

    public ConcurrentDictionary<string, PageState> Pages { get; } = new(StringComparer.Ordinal);

    public ConcurrentDictionary<string, PageState> PagesByToken { get; } = new(StringComparer.Ordinal);

    /// <summary>Tokens replaced by a rotation; they answer 190/467 instead of "cannot parse".</summary>
    public ConcurrentDictionary<string, byte> RevokedTokens { get; } = new(StringComparer.Ordinal);

    public ConcurrentDictionary<string, FormState> Forms { get; } = new(StringComparer.Ordinal);

    public ConcurrentDictionary<string, LeadRecord> Leads { get; } = new(StringComparer.Ordinal);

    public IdSequence PageIds { get; } = new(100_000_000_000_001);

    public IdSequence FormIds { get; } = new(200_000_000_000_001);

    public IdSequence AdIds { get; } = new(300_000_000_000_001);

    public IdSequence AdsetIds { get; } = new(310_000_000_000_001);

    public IdSequence CampaignIds { get; } = new(320_000_000_000_001);

    public IdSequence QuestionIds { get; } = new(400_000_000_000_001);

    public IdSequence LeadIds { get; } = new(900_000_000_000_001);

    public UsageThrottle AppThrottle
    {
        get => _appThrottle;
        set
        {
            _appThrottle = value;
            _appUsageHeader = UsageHeaders.App(value);
        }
    }

    /// <summary>Pre-built X-App-Usage value.</summary>
    public string AppUsageHeader => _appUsageHeader;

    public long NowUnix => Time.GetUtcNow().ToUnixTimeSeconds();

    /// <summary>Oldest created_time still readable; long.MinValue when retention is off.</summary>
    public long RetentionFloor =>
        Settings.LeadRetentionDays == 0 ? long.MinValue : NowUnix - (Settings.LeadRetentionDays * 86_400L);

    public bool IsIdTaken(string id) =>
        Leads.ContainsKey(id) || Forms.ContainsKey(id) || Pages.ContainsKey(id) || id == App.AppId;

    /// <summary>The id a create call asked for (checked numeric and unused), or the sequence's next free one.</summary>
    public Failure? TryClaimId(string? requested, IdSequence sequence, out string id)
    {
        if (requested is null)
        {
            id = NextFreeId(sequence);
            return null;
        }
        id = requested;
        if (!MetaEmulatorSettings.IsNumeric(requested))
        {
            return Failure.BadRequest("id must be a numeric string.");
        }
        return IsIdTaken(requested) ? Failure.Conflict($"id {requested} is already in use.") : null;
    }

    /// <summary>Next id of the sequence that no object already uses (callers may have chosen ids themselves).</summary>
    public string NextFreeId(IdSequence sequence)
    {
        while (true)
        {
            var id = sequence.Next().ToString(CultureInfo.InvariantCulture);
            if (!IsIdTaken(id))
            {
                return id;
            }
        }
    }

    /// <summary>Drops pages, forms, leads and tokens and rewinds the id sequences; the app settings stay.</summary>
    public void Reset()
    {
        Leads.Clear();
        Forms.Clear();
        Pages.Clear();
        PagesByToken.Clear();
        RevokedTokens.Clear();
        AppThrottle = UsageHeaders.Zero;
        foreach (var sequence in new[] { PageIds, FormIds, AdIds, AdsetIds, CampaignIds, QuestionIds, LeadIds })
        {
            sequence.Reset();
        }
    }
}
