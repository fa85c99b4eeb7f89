using System.ComponentModel.DataAnnotations;

namespace Leadwire.Features.Bulk;

/// <summary>Settings of bulk operations (<c>Leadwire:Bulk</c>).</summary>
public sealed class BulkOptions
{
    public const string Section = "Leadwire:Bulk";

    /// <summary>
    /// Where bulk exports are written. Empty: an <c>exports</c> folder next to the SQLite file, or <c>./data/exports</c>
    /// on PostgreSQL. Several instances must share it (a download may reach another instance than the one that wrote).
    /// </summary>
    public string? ExportDirectory { get; set; }

    /// <summary>Leads per chunk: one transaction, one progress update.</summary>
    [Range(100, 50_000)]
    public int ChunkSize { get; set; } = 2000;

    /// <summary>How long a bulk export's file is kept for download after the operation finished.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "365.00:00:00")]
    public TimeSpan ExportRetention { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Most lead ids one request may list; beyond that, use a filter.</summary>
    [Range(1, 1_000_000)]
    public int MaxLeadIds { get; set; } = 100_000;
}
