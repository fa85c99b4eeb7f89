using System.Globalization;
using System.Text.Json;
using Leadwire.Data;
using Leadwire.Features.Accounts;
using Leadwire.Features.Audit;
using Leadwire.Features.Export;
using Leadwire.Features.Jobs;
using Leadwire.Features.Leads;
using Leadwire.Features.Live;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Leadwire.Features.Bulk;

/// <summary>
/// Runs a bulk operation (job <c>bulk.run</c>): works through its leads in chunks by id, each chunk one transaction
/// that applies the change set-based, writes the timeline events and moves the operation's progress and checkpoint
/// on. A crash loses at most the chunk in flight; the job runs again and resumes after the checkpoint.
/// </summary>
public sealed partial class RunBulkOperation(
    BulkExportFiles files, JobEnqueuer jobs, AuditLog audit, LiveEvents live, TimeProvider time, IOptionsMonitor<BulkOptions> options, IServiceScopeFactory scopes,
    ILogger<RunBulkOperation> logger)
    : IJobHandler
{
    public const string Kind = "bulk.run";

    /// <summary>Per-lead failure reasons kept on the operation; the count is always complete.</summary>
    public const int ErrorSampleSize = 20;

    public sealed record Payload(long BulkOperationId);

    string IJobHandler.Kind => Kind;

    public async Task HandleAsync(JobContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var payload = JobJson.Read<Payload>(context.Job);
        var db = context.Db;
        var operation = await db.BulkOperations.SingleOrDefaultAsync(b => b.Id == payload.BulkOperationId, cancellationToken)
            ?? throw new PermanentJobFailureException($"Bulk operation {payload.BulkOperationId} no longer exists.");
        if (operation.Status is BulkOperationStatus.Succeeded or BulkOperationStatus.Failed)
        {
            return;
        }

        var plan = BulkPlan.Read(operation.RequestJson);
        var caller = plan.CallerOf(operation);
        var leads = plan.Leads(caller);
        if (operation.Status == BulkOperationStatus.Pending)
        {
            await StartAsync(context, operation, leads, cancellationToken);
        }

        if (plan.Action == BulkAction.Export)
        {
            await ExportAsync(context, operation, plan, leads, cancellationToken);
        }
        else
        {
            await ChangeAsync(context, operation, plan, leads, caller, cancellationToken);
        }
    }

    /// <summary>Counts the leads (a filter's, now; a list's total is known from the request) and marks the operation running.</summary>
    private static async Task StartAsync(JobContext context, BulkOperation operation, LeadSet leads, CancellationToken cancellationToken)
    {
        var total = await leads.CountAsync(context.Db, cancellationToken);
        var now = context.Time.GetUtcNow().UtcDateTime;
        using (await context.Gate.EnterAsync(cancellationToken))
        {
            operation.Status = BulkOperationStatus.Running;
            operation.Total = total;
            operation.StartedAt = now;
            operation.Checkpoint = 0;
            await context.Db.SaveChangesAsync(cancellationToken);
        }
    }

    private async Task ChangeAsync(JobContext context, BulkOperation operation, BulkPlan plan, LeadSet leads, Caller caller, CancellationToken cancellationToken)
    {
        var db = context.Db;
        var chunkSize = options.CurrentValue.ChunkSize;
        var errors = ReadErrors(operation.ErrorsJson);
        var after = operation.Checkpoint ?? 0;
        var processed = operation.Processed;
        var failed = operation.Failed;
        var changed = 0;
        var sources = plan.Status is { } target ? BulkStatusRules.SourcesOf(target, plan.Role) : [];
        // PostgreSQL: a chunk's writes overlap the next chunk's (each on a context of its own), so that the database
        // works on two cores; the updates of a status change, one new row version with an entry in each of the leads'
        // indexes per lead, are nearly all of a bulk operation's time there. Checkpoints still move in order: a chunk
        // moves it only after the chunk before committed. SQLite has one writer: one chunk at a time, through the gate.
        await using var writers = new ChunkWriters(context, scopes, overlap: !context.Gate.Enabled);
        while (true)
        {
            // Read outside the write gate: on a selective filter the read may walk far, and webhooks must not wait on it.
            var batch = await leads.NextAsync(db, after, chunkSize, l => new BulkRow(l.Id, l.Status, l.ErasedAt), r => r.Id, cancellationToken);
            if (batch.End)
            {
                break;
            }

            var chunkFailed = batch.Missing.Count;
            foreach (var id in batch.Missing)
            {
                AddError(errors, $"lead {id}: not found" + (plan.Action == BulkAction.Restore ? " among deleted leads." : "."));
            }
            var toChange = new List<long>(batch.Rows.Count);
            foreach (var row in batch.Rows)
            {
                if (row.ErasedAt is not null && plan.Action is not (BulkAction.Delete or BulkAction.Restore))
                {
                    // Erased is for good: nothing may be added back to the lead, not even a tag.
                    chunkFailed++;
                    AddError(errors, $"lead {row.Id}: erased; it can no longer be changed.");
                }
                else if (plan.Action != BulkAction.Status)
                {
                    toChange.Add(row.Id);
                }
                else if (row.Status == plan.Status)
                {
                    // Already there: nothing to do and nothing wrong.
                }
                else if (sources.Contains(row.Status))
                {
                    toChange.Add(row.Id);
                }
                else
                {
                    chunkFailed++;
                    AddError(errors, BulkStatusRules.Refusal(row.Id, row.Status, plan.Status!.Value, plan.Role));
                }
            }

            if (plan.Action == BulkAction.Tag && toChange.Count > 0)
            {
                foreach (var full in await LeadsWithoutRoomForTagAsync(db, toChange, plan.Tag!, cancellationToken))
                {
                    toChange.Remove(full);
                    chunkFailed++;
                    AddError(errors, $"lead {full}: already has {LeadTagging.MaxTagsPerLead} tags, the most a lead may have.");
                }
            }

            var now = context.Time.GetUtcNow().UtcDateTime;
            var chunk = new BulkChunk(operation.Id, plan, toChange, operation.WorkspaceId, caller.SeesOnlyOwnLeads ? caller.UserId : null,
                caller.UserId, caller.Label, now);
            var from = after;
            var nextProcessed = processed + batch.Consumed;
            var nextFailed = failed + chunkFailed;
            var errorsJson = errors.Count == 0 ? null : JsonSerializer.Serialize(errors);
            var reached = batch.ReachedId;
            changed += await writers.WriteAsync(async (writeDb, previous) =>
            {
                var written = await WriteChunkAsync(
                    context, writeDb, chunk, new ChunkProgress(from, reached, nextProcessed, nextFailed, errorsJson), previous, cancellationToken);
                // A bulk change is one stats ping a chunk, not an event a lead: 100,000 of those would only be noise.
                live.Publish(new LiveEvent(LiveEventTypes.StatsChanged, chunk.WorkspaceId, null, null, chunk.Now));
                return written;
            });
            after = reached;
            processed = nextProcessed;
            failed = nextFailed;
        }
        changed += await writers.DrainAsync();

        await context.CompleteAsync(_ =>
        {
            Finish(context, operation, processed, failed, after, errors);
            audit.Record(db, operation.CreatedByUserId, operation.CreatedBy, operation.WorkspaceId, "leads.bulk_" + BulkPlan.Name(plan.Action),
                "bulk_operation", operation.Id.ToString(CultureInfo.InvariantCulture),
                Details(plan, operation, processed, failed, new { changed }));
            return Task.CompletedTask;
        }, cancellationToken);
        LogFinished(logger, operation.Id, BulkPlan.Name(plan.Action), processed, changed, failed);
    }

    /// <summary>One chunk in a transaction: the change, then the operation's progress from the checkpoint it was read at.</summary>
    private static async Task<int> WriteChunkAsync(
        JobContext context, LeadwireDbContext db, BulkChunk chunk, ChunkProgress progress, Task previous, CancellationToken cancellationToken)
    {
        using (await context.Gate.EnterAsync(cancellationToken))
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var changed = await new BulkChunkWrites(db, chunk).ApplyAsync(cancellationToken);
            // The chunk before must have committed (its failure fails this one, rolled back): the checkpoint below
            // starts where that one ended.
            await previous;
            // Only from the checkpoint this run read: a runner that lost its lease cannot move the operation twice.
            var moved = await db.BulkOperations
                .Where(b => b.Id == chunk.OperationId && b.Checkpoint == progress.From && b.Status == BulkOperationStatus.Running)
                .ExecuteUpdateAsync(s => s
                    .SetProperty(b => b.Processed, progress.Processed)
                    .SetProperty(b => b.Failed, progress.Failed)
                    .SetProperty(b => b.Checkpoint, progress.Reached)
                    .SetProperty(b => b.ErrorsJson, progress.ErrorsJson), cancellationToken);
            if (moved == 0)
            {
                throw new JobLeaseLostException(context.Job.Id);
            }
            await transaction.CommitAsync(cancellationToken);
            return changed;
        }
    }

    private sealed record ChunkProgress(long From, long Reached, int Processed, int Failed, string? ErrorsJson);

    /// <summary>
    /// Where chunks are written. Sequential: the job's own context, each write finished before the next chunk is read.
    /// Overlapping: two contexts of their own, taken in turn, with at most two chunks in flight (the one started
    /// last waits for the one before it to commit before it moves the checkpoint).
    /// </summary>
    private sealed class ChunkWriters : IAsyncDisposable
    {
        private readonly LeadwireDbContext[] _contexts;
        private readonly AsyncServiceScope[] _scopes;
        private Task<int> _inFlight = Task.FromResult(0);
        private int _next;

        public ChunkWriters(JobContext context, IServiceScopeFactory scopes, bool overlap)
        {
            if (!overlap)
            {
                _scopes = [];
                _contexts = [context.Db];
                return;
            }
            _scopes = [scopes.CreateAsyncScope(), scopes.CreateAsyncScope()];
            _contexts = [.. _scopes.Select(s => s.ServiceProvider.GetRequiredService<LeadwireDbContext>())];
        }

        /// <summary>Starts a chunk's write; returns how many leads the chunk before it changed (once that one is done).</summary>
        public async Task<int> WriteAsync(Func<LeadwireDbContext, Task, Task<int>> write)
        {
            if (_contexts.Length == 1)
            {
                return await write(_contexts[0], Task.CompletedTask);
            }
            var previous = _inFlight;
            var db = _contexts[_next];
            _next = (_next + 1) % _contexts.Length;
            // The context taken now was last used two chunks ago, and that write finished before the previous one
            // was started (awaited below).
            _inFlight = write(db, previous);
            return await previous;
        }

        /// <summary>Waits for the last write; returns what it changed.</summary>
        public async Task<int> DrainAsync()
        {
            var last = _inFlight;
            _inFlight = Task.FromResult(0);
            return await last;
        }

        public async ValueTask DisposeAsync()
        {
            // A chunk that failed must not leave the next one running on a context about to be disposed.
            await Task.WhenAny(_inFlight); // waits for it to end without rethrowing its failure
            foreach (var scope in _scopes)
            {
                await scope.DisposeAsync();
            }
        }
    }

    /// <summary>
    /// Writes the file under a temporary name and renames it when complete, so a download never sees half a file.
    /// An export cannot resume a half-written file (an XLSX is one zip), so an interrupted one starts over.
    /// </summary>
    private async Task ExportAsync(JobContext context, BulkOperation operation, BulkPlan plan, LeadSet leads, CancellationToken cancellationToken)
    {
        var db = context.Db;
        var format = plan.Format ?? ExportFormat.Csv;
        if (format == ExportFormat.Xlsx && operation.Total >= XlsxTableWriter.MaxRows)
        {
            await FailAsync(context, operation, plan,
                $"An Excel sheet holds at most {XlsxTableWriter.MaxRows - 1:N0} leads and this export has {operation.Total:N0}; use csv or jsonl.", cancellationToken);
            return;
        }

        files.DeletePartials(operation.Id);
        Directory.CreateDirectory(files.Directory);
        var fileName = BulkExportFiles.NewFileName(operation.Id, format);
        var path = files.PathOf(fileName)!;
        var partial = path + ".partial";
        LeadExportResult result;
        try
        {
            await using (var file = new FileStream(partial, FileMode.CreateNew, FileAccess.Write, FileShare.None, 64 * 1024, useAsync: true))
            {
                await using var writer = TableWriter.Create(format, file);
                result = await LeadExport.WriteAsync(db, leads, operation.WorkspaceId, writer, p => ProgressAsync(context, operation, p, cancellationToken), cancellationToken);
            }
            File.Move(partial, path);
        }
        catch
        {
            BulkExportFiles.TryDelete(partial);
            throw;
        }

        var finishedAt = context.Time.GetUtcNow().UtcDateTime;
        try
        {
            await CompleteExportAsync(context, operation, plan, format, fileName, result, finishedAt, cancellationToken);
        }
        catch
        {
            // Not recorded as the operation's file, so nothing would ever delete it; the retry writes a new one.
            BulkExportFiles.TryDelete(path);
            throw;
        }
        LogFinished(logger, operation.Id, "export", (int)result.Written, 0, (int)result.Missing);
    }

    private async Task CompleteExportAsync(
        JobContext context, BulkOperation operation, BulkPlan plan, ExportFormat format, string fileName, LeadExportResult result, DateTime finishedAt,
        CancellationToken cancellationToken)
    {
        await context.CompleteAsync(writeDb =>
        {
            Finish(context, operation, (int)(result.Written + result.Missing), (int)result.Missing, operation.Checkpoint ?? 0, ReadErrors(null));
            operation.ResultPath = fileName;
            operation.ResultContentType = format.ContentType();
            audit.Record(writeDb, operation.CreatedByUserId, operation.CreatedBy, operation.WorkspaceId, "leads.exported",
                "bulk_operation", operation.Id.ToString(CultureInfo.InvariantCulture),
                Details(plan, operation, (int)result.Written, (int)result.Missing, new { format = format.FileExtension(), row_count = result.Written, via = "bulk_operation" }));
            // The file goes when its time is up, whether or not any bulk work runs then.
            jobs.Enqueue(writeDb, ExpireBulkExport.Kind, new ExpireBulkExport.Payload(operation.Id), runAfter: finishedAt + options.CurrentValue.ExportRetention);
            return Task.CompletedTask;
        }, cancellationToken);
    }

    private static async Task ProgressAsync(JobContext context, BulkOperation operation, LeadExportProgress progress, CancellationToken cancellationToken)
    {
        using (await context.Gate.EnterAsync(cancellationToken))
        {
            operation.Processed = (int)progress.Consumed;
            operation.Failed = (int)progress.Missing;
            operation.Checkpoint = progress.ReachedId;
            await context.Db.SaveChangesAsync(cancellationToken);
        }
    }

    private static void Finish(JobContext context, BulkOperation operation, int processed, int failed, long checkpoint, List<string> errors)
    {
        operation.Status = BulkOperationStatus.Succeeded;
        operation.Processed = processed;
        operation.Failed = failed;
        operation.Checkpoint = checkpoint;
        operation.ErrorsJson = errors.Count == 0 ? operation.ErrorsJson : JsonSerializer.Serialize(errors);
        // A filter's count was taken when the work started; leads that left the filter since (someone else changed
        // them) were not processed. The total ends as what was done, so progress ends at 1.
        operation.Total = processed;
        operation.FinishedAt = context.Time.GetUtcNow().UtcDateTime;
    }

    private async Task FailAsync(JobContext context, BulkOperation operation, BulkPlan plan, string reason, CancellationToken cancellationToken)
    {
        await context.CompleteAsync(db =>
        {
            operation.Status = BulkOperationStatus.Failed;
            operation.Error = reason;
            operation.FinishedAt = context.Time.GetUtcNow().UtcDateTime;
            audit.Record(db, operation.CreatedByUserId, operation.CreatedBy, operation.WorkspaceId, AuditAction(plan),
                "bulk_operation", operation.Id.ToString(CultureInfo.InvariantCulture),
                Details(plan, operation, operation.Processed, operation.Failed, new { error = reason }));
            return Task.CompletedTask;
        }, cancellationToken);
    }

    /// <summary>The job gave up (it kept failing): the operation says so, with what it got done, and the audit log too.</summary>
    public async Task OnDeadLetteredAsync(LeadwireDbContext db, ClaimedJob job, string reason, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(job);
        var payload = JobJson.Read<Payload>(job);
        var operation = await db.BulkOperations.SingleOrDefaultAsync(b => b.Id == payload.BulkOperationId, cancellationToken);
        if (operation is null || operation.Status is BulkOperationStatus.Succeeded or BulkOperationStatus.Failed)
        {
            return;
        }
        operation.Status = BulkOperationStatus.Failed;
        operation.Error = reason;
        operation.FinishedAt = time.GetUtcNow().UtcDateTime;
        var plan = BulkPlan.Read(operation.RequestJson);
        audit.Record(db, operation.CreatedByUserId, operation.CreatedBy, operation.WorkspaceId, AuditAction(plan),
            "bulk_operation", operation.Id.ToString(CultureInfo.InvariantCulture),
            Details(plan, operation, operation.Processed, operation.Failed, new { error = reason }));
    }

    /// <summary>Leads of the chunk that lack the tag but already carry as many tags as a lead may.</summary>
    private static async Task<List<long>> LeadsWithoutRoomForTagAsync(LeadwireDbContext db, List<long> leadIds, string tag, CancellationToken cancellationToken)
    {
        var counts = await db.LeadTags.AsNoTracking()
            .Where(t => leadIds.Contains(t.LeadId))
            .GroupBy(t => t.LeadId)
            .Select(g => new { LeadId = g.Key, Tags = g.Count(), Has = g.Count(t => t.Tag == tag) })
            .ToListAsync(cancellationToken);
        return [.. counts.Where(c => c.Tags >= LeadTagging.MaxTagsPerLead && c.Has == 0).Select(c => c.LeadId)];
    }

    private static string AuditAction(BulkPlan plan) => plan.Action == BulkAction.Export ? "leads.exported" : "leads.bulk_" + BulkPlan.Name(plan.Action);

    private static object Details(BulkPlan plan, BulkOperation operation, int processed, int failed, object extra) => new
    {
        action = BulkPlan.Name(plan.Action),
        status = operation.Status.ToString().ToLowerInvariant(),
        filter = plan.Filter is null ? (JsonElement?)null : LeadFilterJson.ToElement(plan.Filter),
        lead_ids = plan.LeadIds?.Count,
        processed,
        failed,
        extra,
    };

    private static List<string> ReadErrors(string? json)
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

    private static void AddError(List<string> errors, string error)
    {
        if (errors.Count < ErrorSampleSize)
        {
            errors.Add(error);
        }
    }

    private sealed record BulkRow(long Id, LeadStatus Status, DateTime? ErasedAt);

    [LoggerMessage(Level = LogLevel.Information, Message = "Bulk operation {OperationId} ({Action}) finished: {Processed} leads, {Changed} changed, {Failed} failed")]
    private static partial void LogFinished(ILogger logger, long operationId, string action, int processed, int changed, int failed);
}
