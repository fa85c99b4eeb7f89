using System.ComponentModel.DataAnnotations;

namespace Leadwire.Infrastructure;

/// <summary>Settings for talking to Meta. All three secrets empty means demo mode (the emulator runs in-process).</summary>
public sealed class MetaOptions
{
    public const string Section = "Leadwire:Meta";

    public string? AppId { get; set; }
    public string? AppSecret
    {
        get;
        set
        {
            field = value;
            AppSecretBytes = System.Text.Encoding.UTF8.GetBytes(value ?? "");
        }
    }

    /// <summary>The app secret as the HMAC key, computed once rather than on every webhook.</summary>
    internal byte[] AppSecretBytes { get; private set; } = [];
    public string? VerifyToken { get; set; }

    [Required, Url]
    public string GraphBaseUrl { get; set; } = "https://graph.facebook.com";

    [Required, RegularExpression(@"^v\d+\.0$", ErrorMessage = "GraphVersion must look like v25.0.")]
    public string GraphVersion { get; set; } = "v25.0";

    [Range(1, 300)]
    public int RequestTimeoutSeconds { get; set; } = 30;

    /// <summary>Fields asked of every Lead node; Meta omits what the token may not see.</summary>
    [Required]
    public string LeadFields { get; set; } =
        "id,created_time,field_data,form_id,ad_id,ad_name,adset_id,adset_name,campaign_id,campaign_name," +
        "is_organic,platform,partner_name,custom_disclaimer_responses,retailer_item_id,post_submission_check_result";

    public bool IsConfigured =>
        !string.IsNullOrWhiteSpace(AppId) && !string.IsNullOrWhiteSpace(AppSecret) && !string.IsNullOrWhiteSpace(VerifyToken);

    public bool IsEmpty =>
        string.IsNullOrWhiteSpace(AppId) && string.IsNullOrWhiteSpace(AppSecret) && string.IsNullOrWhiteSpace(VerifyToken);
}

public enum DatabaseProvider
{
    Sqlite,
    Postgres,
}

public sealed class DatabaseOptions
{
    public const string Section = "Leadwire:Database";

    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

    /// <summary>SQLite <c>synchronous</c> pragma. NORMAL in WAL mode survives a process crash; FULL also a power cut.</summary>
    [RegularExpression("^(?i)(NORMAL|FULL)$", ErrorMessage = "SqliteSynchronous must be NORMAL or FULL.")]
    public string SqliteSynchronous { get; set; } = "NORMAL";

    [Range(100, 600_000)]
    public int SqliteBusyTimeoutMs { get; set; } = 30_000;
}

public sealed class BootstrapOptions
{
    public const string Section = "Leadwire:Bootstrap";

    [MinLength(16, ErrorMessage = "Bootstrap ApiToken must be at least 16 characters.")]
    public string? ApiToken { get; set; }

    /// <summary>Email of the first account, created on an empty database for the bootstrap token to act as.</summary>
    [EmailAddress(ErrorMessage = "Bootstrap OwnerEmail must be an email address.")]
    public string OwnerEmail { get; set; } = "owner@leadwire.local";

    /// <summary>Sign-in password of that first account; unset, it can only use the bootstrap token until one is set.</summary>
    [MinLength(8, ErrorMessage = "Bootstrap OwnerPassword must be at least 8 characters.")]
    public string? OwnerPassword { get; set; }

    /// <summary>Name of the first workspace.</summary>
    [Required, MaxLength(200)]
    public string WorkspaceName { get; set; } = "My workspace";
}

public sealed class WebhookOptions
{
    public const string Section = "Leadwire:Webhooks";

    /// <summary>Largest accepted POST body. A full batch of 1000 changes is about 250 KB.</summary>
    [Range(1024, 64 * 1024 * 1024)]
    public int MaxBodyBytes { get; set; } = 2 * 1024 * 1024;

    /// <summary>Most deliveries written in one inbox transaction (group commit).</summary>
    [Range(1, 4096)]
    public int InboxBatchSize { get; set; } = 256;
}

public sealed class JobOptions
{
    public const string Section = "Leadwire:Jobs";

    /// <summary>Off only for maintenance or tests: deliveries are still acknowledged and stored.</summary>
    public bool RunnerEnabled { get; set; } = true;

    [Range(1, 512)]
    public int Concurrency { get; set; } = 32;

    [Range(1, 100)]
    public int MaxAttempts { get; set; } = 12;

    [Range(typeof(TimeSpan), "00:00:00.001", "01:00:00")]
    public TimeSpan BackoffBase { get; set; } = TimeSpan.FromSeconds(2);

    [Range(typeof(TimeSpan), "00:00:00.001", "1.00:00:00")]
    public TimeSpan BackoffMax { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Wait after a rate limit when Meta's headers give no estimate.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "1.00:00:00")]
    public TimeSpan RateLimitFallbackDelay { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How long a claimed job stays owned before another runner may take it over.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromMinutes(5);

    [Range(typeof(TimeSpan), "00:00:00.010", "00:10:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Acknowledging Meta comes first: while webhooks arrive faster than this (deliveries per second), background
    /// work runs at <see cref="IngressYieldConcurrency"/> so the webhook endpoint keeps the CPU. 0 turns it off.
    /// </summary>
    [Range(0, 1_000_000)]
    public int IngressYieldThreshold { get; set; } = 2000;

    [Range(1, 512)]
    public int IngressYieldConcurrency { get; set; } = 1;

    /// <summary>
    /// During such a burst, the runner also rests this long before claiming more work, which caps background work to a
    /// small share of the CPU (one job at a time leaves about 10 ms of work per rest). 0 never rests.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:00:10")]
    public TimeSpan IngressYieldPause { get; set; } = TimeSpan.FromMilliseconds(20);

    /// <summary>How long finished jobs are kept (for the jobs API) before the retention sweep deletes them.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "365.00:00:00")]
    public TimeSpan SucceededRetention { get; set; } = TimeSpan.FromDays(7);

    /// <summary>How long processed webhook deliveries (raw bodies) are kept. Dead ones stay until replayed.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "365.00:00:00")]
    public TimeSpan DeliveryRetention { get; set; } = TimeSpan.FromDays(30);

    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan RetentionSweepInterval { get; set; } = TimeSpan.FromHours(1);
}

public sealed class ReconciliationOptions
{
    public const string Section = "Leadwire:Reconciliation";

    public bool Enabled { get; set; } = true;

    [Range(typeof(TimeSpan), "00:00:01", "7.00:00:00")]
    public TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Re-read this much before the checkpoint: Meta's clocks and late writes are not exact.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan Overlap { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How far back the first reconciliation of a form looks. Meta keeps leads about 90 days.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "89.00:00:00")]
    public TimeSpan InitialLookback { get; set; } = TimeSpan.FromDays(1);

    [Range(1, 100)]
    public int PageSize { get; set; } = 100;
}

public sealed class DemoOptions
{
    public const string Section = "Leadwire:Demo";

    /// <summary>Null: on exactly when no Meta settings are given.</summary>
    public bool? Enabled { get; set; }

    /// <summary>Emulator address in demo mode; port 0 picks a free one.</summary>
    [Required]
    public string EmulatorUrl { get; set; } = "http://127.0.0.1:0";

    /// <summary>API token accepted in demo mode when no bootstrap token is set.</summary>
    [Required, MinLength(8)]
    public string ApiToken { get; set; } = "demo-token-change-me";
}
