using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Primitives;

namespace Leadwire.Dashboard;

/// <summary>
/// The leads page's filters as a person edits them, and as the page's address keeps them. The address uses the
/// API's own query parameters (GET /api/v1/leads), so a filtered view is a link that can be shared or bookmarked,
/// and the same words reach the list and the bulk actions. Dates are days in the workspace's time zone; the
/// address holds the instants they start and end at.
/// </summary>
public sealed class LeadFilterForm
{
    public string? Q { get; set; }
    public string? Status { get; set; }
    public string? PageId { get; set; }
    public string? FormId { get; set; }
    public string? CampaignId { get; set; }
    public string? AdId { get; set; }
    public string? Assignee { get; set; }
    public string? Tag { get; set; }
    public int? ScoreMin { get; set; }
    public int? ScoreMax { get; set; }
    public DateTime? From { get; set; }
    public DateTime? To { get; set; }
    public string? IsTest { get; set; }
    public string? Sort { get; set; }
    public bool Deleted { get; set; }

    public static LeadFilterForm FromQuery(IDictionary<string, StringValues> query, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(zone);
        string? Get(string key) => query.TryGetValue(key, out var v) && !StringValues.IsNullOrEmpty(v) ? v.ToString() : null;
        int? Number(string key) => int.TryParse(Get(key), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : null;
        DateTime? Day(string key, int shift) =>
            DateTimeOffset.TryParse(Get(key), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var instant)
                ? TimeZoneInfo.ConvertTimeFromUtc(instant.UtcDateTime, zone).Date.AddDays(shift)
                : null;
        return new LeadFilterForm
        {
            Q = Get("q"),
            Status = Get("status"),
            PageId = Get("page_id"),
            FormId = Get("form_id"),
            CampaignId = Get("campaign_id"),
            AdId = Get("ad_id"),
            Assignee = Get("assignee"),
            Tag = Get("tag"),
            ScoreMin = Number("score_min"),
            ScoreMax = Number("score_max"),
            From = Day("created_since", 0),
            // The address holds the exclusive end (the next day's midnight); the form shows the last day included.
            To = Day("created_until", -1),
            IsTest = Get("is_test"),
            Sort = Get("sort"),
            Deleted = string.Equals(Get("deleted"), "true", StringComparison.OrdinalIgnoreCase),
        };
    }

    /// <summary>The filter as the list API's parameters (no sort, no cursor): what "all matching" acts on.</summary>
    public Dictionary<string, string> FilterParameters(TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        void Put(string key, string? value)
        {
            if (!string.IsNullOrWhiteSpace(value))
            {
                values[key] = value.Trim();
            }
        }
        Put("q", Q);
        Put("status", Status);
        Put("page_id", PageId);
        Put("form_id", FormId);
        Put("campaign_id", CampaignId);
        Put("ad_id", AdId);
        Put("assignee", Assignee);
        Put("tag", Tag);
        Put("score_min", ScoreMin?.ToString(CultureInfo.InvariantCulture));
        Put("score_max", ScoreMax?.ToString(CultureInfo.InvariantCulture));
        Put("created_since", From is { } from ? StartOf(from, zone) : null);
        Put("created_until", To is { } to ? StartOf(to.AddDays(1), zone) : null);
        Put("is_test", IsTest);
        if (Deleted)
        {
            values["deleted"] = "true";
        }
        return values;
    }

    /// <summary>The page's address for this filter and sort (first page).</summary>
    public string ToUrl(string path, TimeZoneInfo zone)
    {
        var parameters = FilterParameters(zone);
        if (!string.IsNullOrWhiteSpace(Sort) && Sort != "created_desc")
        {
            parameters["sort"] = Sort;
        }
        return QueryHelpers.AddQueryString(path, parameters!);
    }

    /// <summary>The filter in the bulk API's shape.</summary>
    public Dictionary<string, JsonElement> BulkFilter(TimeZoneInfo zone) =>
        FilterParameters(zone).ToDictionary(p => p.Key, p => JsonSerializer.SerializeToElement(p.Value));

    private static string StartOf(DateTime day, TimeZoneInfo zone)
    {
        var local = DateTime.SpecifyKind(day.Date, DateTimeKind.Unspecified);
        // A midnight skipped by a daylight-saving change starts the day an hour later.
        while (zone.IsInvalidTime(local))
        {
            local = local.AddHours(1);
        }
        return TimeZoneInfo.ConvertTimeToUtc(local, zone).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
    }
}
