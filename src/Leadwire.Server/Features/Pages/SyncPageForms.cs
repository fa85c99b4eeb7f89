using Leadwire.Data;
using Leadwire.Features.Jobs;
using Microsoft.EntityFrameworkCore;

namespace Leadwire.Features.Pages;

/// <summary>Background form sync: after registration when Meta was briefly unavailable, or when a lead names an unknown form.</summary>
public sealed class SyncPageForms(FormSync sync, PageTokens tokens, PageLookup lookup) : IJobHandler
{
    public const string Kind = "page.sync_forms";

    public sealed record Payload(long PageId);

    string IJobHandler.Kind => Kind;

    public async Task HandleAsync(JobContext context, CancellationToken cancellationToken)
    {
        var payload = JobJson.Read<Payload>(context.Job);
        var page = await context.Db.Pages.SingleOrDefaultAsync(p => p.Id == payload.PageId, cancellationToken)
            ?? throw new PermanentJobFailureException($"Page {payload.PageId} no longer exists.");
        if (page.Status == PageStatus.NeedsReauth)
        {
            throw new JobParkedException($"Page {page.MetaPageId} needs re-authorisation.");
        }

        var forms = await sync.FetchAsync(page.MetaPageId, tokens.Unprotect(page.AccessTokenProtected), cancellationToken);
        await context.CompleteAsync(async db =>
        {
            await sync.ApplyAsync(db, page, forms, cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
            await FormSync.LinkLeadsAsync(db, forms, cancellationToken);
        }, cancellationToken);
        lookup.Forget();
    }
}
