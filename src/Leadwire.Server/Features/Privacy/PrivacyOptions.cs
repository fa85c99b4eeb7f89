using System.ComponentModel.DataAnnotations;

namespace Leadwire.Features.Privacy;

/// <summary>Settings for erasure, retention and Meta's data-deletion callback (<c>Leadwire:Privacy</c>).</summary>
public sealed class PrivacyOptions
{
    public const string Section = "Leadwire:Privacy";

    /// <summary>How often the retention job erases leads older than each workspace's <c>retention_days</c>.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "7.00:00:00")]
    public TimeSpan RetentionInterval { get; set; } = TimeSpan.FromDays(1);

    /// <summary>Leads erased per transaction: small enough that webhook ingestion never waits long for the writer.</summary>
    [Range(1, 10_000)]
    public int EraseBatchSize { get; set; } = 500;

    /// <summary>
    /// The address people reach Leadwire at (https://leads.example.com), for the status link Meta shows after a
    /// data-deletion request. Unset, the link is built from the request, which behind a proxy may be the inner address.
    /// </summary>
    [Url]
    public string? PublicBaseUrl { get; set; }
}
