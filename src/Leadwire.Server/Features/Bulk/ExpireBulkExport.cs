using Leadwire.Data;
using Leadwire.Features.Jobs;
using Microsoft.EntityFrameworkCore;

namespace Leadwire.Features.Bulk;

/// <summary>
/// Deletes a bulk export's file once its retention is over (job <c>bulk.expire_export</c>, enqueued when the export
/// finishes, due <c>Leadwire:Bulk:ExportRetention</c> later). A process that was down then runs it on its next start.
/// Lead data must not sit in files forever: the operation stays listed, its download answers 410.
/// </summary>
public sealed class ExpireBulkExport(BulkExportFiles files) : IJobHandler
{
    public const string Kind = "bulk.expire_export";

    public sealed record Payload(long BulkOperationId);

    string IJobHandler.Kind => Kind;

    public async Task HandleAsync(JobContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var payload = JobJson.Read<Payload>(context.Job);
        var operation = await context.Db.BulkOperations.SingleOrDefaultAsync(b => b.Id == payload.BulkOperationId, cancellationToken);
        if (operation?.ResultPath is not { } fileName)
        {
            return;
        }
        if (files.PathOf(fileName) is { } path)
        {
            BulkExportFiles.TryDelete(path);
        }
        await context.CompleteAsync(_ =>
        {
            operation.ResultPath = null;
            return Task.CompletedTask;
        }, cancellationToken);
    }
}
