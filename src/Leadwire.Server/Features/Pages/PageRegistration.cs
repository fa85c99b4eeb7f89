using Leadwire.Data;
using Leadwire.Features.Accounts;
using Leadwire.Features.Jobs;
using Leadwire.Meta;
using Microsoft.EntityFrameworkCore;

namespace Leadwire.Features.Pages;

/// <summary>
/// Registers a page or replaces its token. The token is checked by reading the page's forms; a token Meta rejects is
/// refused. A new token for a page that needed re-authorisation releases its parked work.
/// </summary>
public sealed partial class PageRegistration(
    LeadwireDbContext db, FormSync sync, PageTokens tokens, PageLookup lookup, JobEnqueuer queue, WriteGate gate, JobSignal signal, DatabaseDialect dialect, TimeProvider time,
    ILogger<PageRegistration> logger)
{
    public abstract record Outcome
    {
        public sealed record Saved(PageDto Page, bool Created) : Outcome;

        public sealed record Rejected(string Reason) : Outcome;

        /// <summary>Another workspace has the page: its leads cannot go to two places.</summary>
        public sealed record ClaimedElsewhere : Outcome;
    }

    public async Task<Outcome> RegisterAsync(Caller caller, string metaPageId, string name, string accessToken, CancellationToken cancellationToken)
    {
        // Checked before Meta is asked, and again by the unique page id when saving.
        if (await db.Pages.AnyAsync(p => p.MetaPageId == metaPageId && p.WorkspaceId != caller.WorkspaceId, cancellationToken))
        {
            return new Outcome.ClaimedElsewhere();
        }

        IReadOnlyList<GraphForm>? forms = null;
        string? syncError = null;
        try
        {
            forms = await sync.FetchAsync(metaPageId, accessToken, cancellationToken);
        }
        catch (Exception e) when (e is GraphAuthException or GraphPermissionException or GraphPermanentException)
        {
            return new Outcome.Rejected(e.Message);
        }
        catch (Exception e) when (e is GraphRateLimitedException or GraphTransientException)
        {
            // The token may well be fine; Meta is busy. Save it and sync in the background.
            syncError = $"Forms will sync in the background: {e.Message}";
        }

        var now = time.GetUtcNow().UtcDateTime;
        var page = await db.Pages.Include(p => p.Forms).SingleOrDefaultAsync(p => p.MetaPageId == metaPageId, cancellationToken);
        if (page is not null && page.WorkspaceId != caller.WorkspaceId)
        {
            return new Outcome.ClaimedElsewhere();
        }
        var created = page is null;
        if (page is null)
        {
            page = new Page { WorkspaceId = caller.WorkspaceId, MetaPageId = metaPageId, Name = name, AccessTokenProtected = "", CreatedAt = now };
            db.Pages.Add(page);
        }
        page.Name = name;
        page.AccessTokenProtected = tokens.Protect(accessToken);
        page.Status = PageStatus.Active;
        page.StatusReason = null;
        page.TokenUpdatedAt = now;
        page.UpdatedAt = now;

        var resumed = 0;
        try
        {
            using (await gate.EnterAsync(cancellationToken))
            await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
            {
                if (forms is not null)
                {
                    await sync.ApplyAsync(db, page, forms, cancellationToken);
                }
                await db.SaveChangesAsync(cancellationToken);
                if (forms is not null)
                {
                    await FormSync.LinkLeadsAsync(db, forms, cancellationToken);
                }
                else
                {
                    queue.Enqueue(db, SyncPageForms.Kind, new SyncPageForms.Payload(page.Id), page.Id);
                    await db.SaveChangesAsync(cancellationToken);
                }

                resumed = await db.Jobs
                    .Where(j => j.PageId == page.Id && j.Status == JobStatus.Parked)
                    .ExecuteUpdateAsync(s => s
                        .SetProperty(j => j.Status, JobStatus.Pending)
                        .SetProperty(j => j.RunAfter, now)
                        .SetProperty(j => j.UpdatedAt, now), cancellationToken);
                await transaction.CommitAsync(cancellationToken);
            }
        }
        catch (DbUpdateException e) when (created && dialect.IsUniqueViolation(e))
        {
            // Another workspace registered the same page a moment ago.
            return new Outcome.ClaimedElsewhere();
        }

        lookup.Forget();
        LogRegistered(logger, metaPageId, created, forms?.Count, resumed);
        signal.Wake();
        return new Outcome.Saved(page.ToDto(syncError), created);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Page {PageId} registered (new: {Created}); {FormCount} forms synced; {Resumed} parked jobs resumed")]
    private static partial void LogRegistered(ILogger logger, string pageId, bool created, int? formCount, int resumed);
}
