using Microsoft.Extensions.Logging;

namespace Leadwire.MetaEmulator;

/// <summary>Start-up settings. Standalone runs bind them from the configuration section "Emulator".</summary>
public sealed class MetaEmulatorSettings
{
    public string AppId { get; set; } = "700000000000001";

    public string AppName { get; set; } = "Leadwire Emulator App";

    public string AppSecret { get; set; } = "fake_app_secret";

    public string VerifyToken { get; set; } = "leadwire-verify-token";

    /// <summary>Webhook callback; when set the app starts subscribed to page/leadgen without a handshake.</summary>
    public string? CallbackUrl { get; set; }

    public string GraphVersion { get; set; } = "v25.0";

    /// <summary>Kestrel URLs; port 0 picks a free port (see <see cref="MetaEmulatorHost.BaseUrl"/>).</summary>
    public string Urls { get; set; } = "http://127.0.0.1:0";

    public bool RequireAppSecretProof { get; set; } = true;

    /// <summary>Clock for timestamps, token expiry and every wait (linger, retry back-off, injected latency).</summary>
    public TimeProvider? Time { get; set; }

    /// <summary>Seed of the generated fake answers.</summary>
    public int Seed { get; set; } = 42;

    public int MaxBatchSize { get; set; } = 100;

    public int LingerMs { get; set; } = 20;

    public int MaxConcurrentDeliveries { get; set; } = 4;

    /// <summary>Wait before each retry; attempts = 1 + length. Meta's 36 h of retries, compressed.</summary>
    public int[] RetryScheduleMs { get; set; } = [0, 1_000, 5_000, 30_000, 120_000, 600_000];

    /// <summary>Timeout of each webhook POST and of the subscription handshake.</summary>
    public int DeliveryTimeoutMs { get; set; } = 10_000;

    public bool SendLegacySha1Signature { get; set; } = true;

    /// <summary>Leads older than this are no longer readable (Meta keeps about 90 days); 0 keeps them forever.</summary>
    public int LeadRetentionDays { get; set; } = 90;

    public int RequestLogCapacity { get; set; } = 10_000;

    public int WebhookLogCapacity { get; set; } = 2_000;

    public LogLevel MinimumLogLevel { get; set; } = LogLevel.Warning;

    internal void Validate()
    {
        Require(IsNumeric(AppId), nameof(AppId), "must be a numeric string");
        Require(!string.IsNullOrEmpty(AppSecret), nameof(AppSecret), "must not be empty");
        Require(!string.IsNullOrEmpty(VerifyToken), nameof(VerifyToken), "must not be empty");
        Require(CallbackUrl is null || Uri.TryCreate(CallbackUrl, UriKind.Absolute, out _), nameof(CallbackUrl), "must be an absolute URL");
        Require(IsVersion(GraphVersion), nameof(GraphVersion), "must look like v25.0");
        Require(!string.IsNullOrWhiteSpace(Urls), nameof(Urls), "must not be empty");
        Require(MaxBatchSize is >= 1 and <= 1000, nameof(MaxBatchSize), "must be 1..1000");
        Require(LingerMs >= 0, nameof(LingerMs), "must not be negative");
        Require(MaxConcurrentDeliveries >= 1, nameof(MaxConcurrentDeliveries), "must be at least 1");
        Require(RetryScheduleMs is not null && Array.TrueForAll(RetryScheduleMs, ms => ms >= 0), nameof(RetryScheduleMs), "must be a list of non-negative numbers");
        Require(DeliveryTimeoutMs >= 1, nameof(DeliveryTimeoutMs), "must be positive");
        Require(LeadRetentionDays >= 0, nameof(LeadRetentionDays), "must not be negative");
        Require(RequestLogCapacity >= 1, nameof(RequestLogCapacity), "must be positive");
        Require(WebhookLogCapacity >= 1, nameof(WebhookLogCapacity), "must be positive");
    }

    internal static bool IsNumeric(string? value) =>
        !string.IsNullOrEmpty(value) && value.Length <= 18 && value.AsSpan().IndexOfAnyExceptInRange('0', '9') < 0;

    internal static bool IsVersion(ReadOnlySpan<char> value) =>
        value.Length >= 4 && value[0] == 'v' && value.EndsWith(".0", StringComparison.Ordinal)
        && value[1..^2].IndexOfAnyExceptInRange('0', '9') < 0;

    private static void Require(bool condition, string setting, string problem)
    {
        if (!condition)
        {
            throw new ArgumentException($"Emulator setting {setting} {problem}.", setting);
        }
    }
}
