using System.Globalization;
using System.Text.Json;
using Leadwire.Data;

namespace Leadwire.Features.Bulk;

/// <summary>A bulk operation as the API shows it; <see cref="Total"/> is null until a filter's leads have been counted.</summary>
public sealed record BulkOperationDto(
    long Id,
    string Action,
    string Status,
    int? Total,
    int Processed,
    int Failed,
    double Progress,
    IReadOnlyList<string> Errors,
    string? Error,
    string CreatedBy,
    long? CreatedByUserId,
    DateTime CreatedAt,
    DateTime? StartedAt,
    DateTime? FinishedAt,
    string? DownloadUrl);

internal static class BulkOperationMapping
{
    public static BulkOperationDto ToDto(this BulkOperation operation)
    {
        var counted = operation.StartedAt is not null || operation.Total > 0;
        var finished = operation.Status == BulkOperationStatus.Succeeded;
        var progress = operation.Total > 0 ? Math.Min(1.0, (double)operation.Processed / operation.Total) : finished ? 1.0 : 0.0;
        return new BulkOperationDto(
            operation.Id,
            operation.Kind,
            operation.Status.ToString().ToLowerInvariant(),
            counted ? operation.Total : null,
            operation.Processed,
            operation.Failed,
            Math.Round(progress, 4),
            Errors(operation.ErrorsJson),
            operation.Error,
            operation.CreatedBy,
            operation.CreatedByUserId,
            operation.CreatedAt,
            operation.StartedAt,
            operation.FinishedAt,
            finished && operation.ResultPath is not null
                ? $"/api/v1/bulk-operations/{operation.Id.ToString(CultureInfo.InvariantCulture)}/download"
                : null);
    }

    private static List<string> Errors(string? json)
    {
        if (string.IsNullOrEmpty(json))
        {
            return [];
        }
        try
        {
            return JsonSerializer.Deserialize<List<string>>(json) ?? [];
        }
        catch (JsonException)
        {
            return [];
        }
    }
}
