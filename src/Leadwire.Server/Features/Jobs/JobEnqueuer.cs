using System.Text.Json;
using Leadwire.Data;
using Leadwire.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Leadwire.Features.Jobs;

/// <summary>Adds jobs to the current unit of work, so they commit (or not) with the state change that caused them.</summary>
public sealed class JobEnqueuer(TimeProvider time, IOptionsMonitor<JobOptions> options)
{
    public Job Enqueue<TPayload>(LeadwireDbContext db, string kind, TPayload payload, long? pageId = null, DateTime? runAfter = null)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var job = new Job
        {
            Kind = kind,
            Payload = JsonSerializer.Serialize(payload, JobJson.Options),
            PageId = pageId,
            RunAfter = runAfter ?? now,
            MaxAttempts = options.CurrentValue.MaxAttempts,
            CreatedAt = now,
            UpdatedAt = now,
        };
        db.Jobs.Add(job);
        return job;
    }

    /// <summary>
    /// Enqueues unless a job with <paramref name="dedupeKey"/> already exists, ever. The unique index decides, so
    /// two concurrent enqueues of the same key (a duplicate webhook) still yield one job. Runs immediately inside
    /// the caller's transaction. Returns whether a job was added.
    /// </summary>
    public async Task<bool> EnqueueUniqueAsync<TPayload>(
        JobContext? context, LeadwireDbContext db, string kind, TPayload payload, string dedupeKey, long? pageId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var json = JsonSerializer.Serialize(payload, JobJson.Options);
        var maxAttempts = options.CurrentValue.MaxAttempts;
        var status = nameof(JobStatus.Pending);
        var added = await db.Database.ExecuteSqlAsync(
            $"""
            INSERT INTO jobs (kind, payload, status, dedupe_key, page_id, run_after, attempts, max_attempts, created_at, updated_at)
            VALUES ({kind}, {json}, {status}, {dedupeKey}, {pageId}, {now}, 0, {maxAttempts}, {now}, {now})
            ON CONFLICT (dedupe_key) DO NOTHING
            """, cancellationToken);
        if (added > 0 && context is not null)
        {
            context.EnqueuedWork = true;
        }
        return added > 0;
    }

    /// <summary>
    /// <see cref="EnqueueUniqueAsync"/> for many jobs of one kind, a few hundred rows per statement (a delivery
    /// can carry a thousand leads). Returns how many were new.
    /// </summary>
    public async Task<int> EnqueueUniqueManyAsync(
        JobContext? context, LeadwireDbContext db, string kind, IReadOnlyList<UniqueJob> jobs, CancellationToken cancellationToken)
    {
        const int RowsPerStatement = 200;
        var now = time.GetUtcNow().UtcDateTime;
        var added = 0;
        foreach (var chunk in jobs.Chunk(RowsPerStatement))
        {
            var parameters = new List<object?> { kind, nameof(JobStatus.Pending), now, options.CurrentValue.MaxAttempts };
            var rows = new List<string>(chunk.Length);
            foreach (var job in chunk)
            {
                var first = parameters.Count;
                parameters.Add(JsonSerializer.Serialize(job.Payload, job.Payload.GetType(), JobJson.Options));
                parameters.Add(job.DedupeKey);
                parameters.Add(job.PageId);
                rows.Add($"({{0}}, {{{first}}}, {{1}}, {{{first + 1}}}, {{{first + 2}}}, {{2}}, 0, {{3}}, {{2}}, {{2}})");
            }
            // Composite format with numbered placeholders: EF turns each into a parameter, never into SQL text.
            var sql = "INSERT INTO jobs (kind, payload, status, dedupe_key, page_id, run_after, attempts, max_attempts, created_at, updated_at) VALUES "
                + string.Join(", ", rows) + " ON CONFLICT (dedupe_key) DO NOTHING";
            added += await db.Database.ExecuteSqlRawAsync(sql, parameters.Select(p => p ?? DBNull.Value), cancellationToken);
        }
        if (added > 0 && context is not null)
        {
            context.EnqueuedWork = true;
        }
        return added;
    }
}

/// <summary>One job for <see cref="JobEnqueuer.EnqueueUniqueManyAsync"/>.</summary>
public sealed record UniqueJob(object Payload, string DedupeKey, long? PageId);

public static class JobJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
    };

    public static T Read<T>(ClaimedJob job) =>
        JsonSerializer.Deserialize<T>(job.Payload, Options)
        ?? throw new PermanentJobFailureException($"Job {job.Id} ({job.Kind}) has an empty payload.");
}
