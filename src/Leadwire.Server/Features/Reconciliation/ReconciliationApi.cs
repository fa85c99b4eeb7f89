using Leadwire.Data;
using Leadwire.Features.Accounts;
using Leadwire.Features.Jobs;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Leadwire.Features.Reconciliation;

public sealed record ReconcileRequested(long JobId, string FormId);

public static class ReconciliationApi
{
    public static IEndpointRouteBuilder MapReconciliationApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/forms").RequireRole(WorkspaceRole.Admin).WithTags("Reconciliation");
        group.MapPost("/{formId}/reconcile", ReconcileNowAsync).WithSummary("Reconcile one form with Meta now instead of at the next interval");
        return app;
    }

    internal static async Task<Results<Accepted<ReconcileRequested>, NotFound>> ReconcileNowAsync(
        string formId, Caller caller, LeadwireDbContext db, WriteGate gate, JobEnqueuer queue, JobSignal signal, CancellationToken cancellationToken)
    {
        var form = await db.Forms.AsNoTracking().Where(f => f.MetaFormId == formId && f.Page!.WorkspaceId == caller.WorkspaceId).Select(f => new { f.Id, f.PageId }).SingleOrDefaultAsync(cancellationToken);
        if (form is null)
        {
            return TypedResults.NotFound();
        }
        var job = queue.Enqueue(db, ReconcileForm.Kind, new ReconcileForm.Payload(form.Id), form.PageId);
        using (await gate.EnterAsync(cancellationToken))
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        signal.Wake();
        return TypedResults.Accepted($"/api/v1/jobs/{job.Id}", new ReconcileRequested(job.Id, formId));
    }
}
