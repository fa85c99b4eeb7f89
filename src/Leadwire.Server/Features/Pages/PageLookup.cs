using System.Collections.Concurrent;
using Leadwire.Data;
using Microsoft.EntityFrameworkCore;

namespace Leadwire.Features.Pages;

/// <summary>
/// Pages and forms by Meta id for the lead fetch, remembered for a moment: at a thousand leads a second the same
/// page and form were read a thousand times a second, a tenth of the server's CPU. A change made on this instance
/// is seen at once (its writers call <see cref="Forget"/> after their commit); one made on another instance of a
/// shared PostgreSQL within <see cref="Freshness"/>. Only found rows are remembered: a page or form registered a
/// moment ago is never answered "unknown" from here.
/// </summary>
public sealed class PageLookup(TimeProvider time)
{
    /// <summary>How long a row read from the database is reused.</summary>
    public static readonly TimeSpan Freshness = TimeSpan.FromSeconds(2);

    /// <summary>More entries than any install has pages and forms; past it the cache starts over.</summary>
    private const int Limit = 4096;

    public sealed record FormQuestions(long Id, string QuestionsJson);

    private sealed record Entry<T>(T Value, long ReadAt);

    private readonly ConcurrentDictionary<string, Entry<Page>> _pages = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Entry<FormQuestions>> _forms = new(StringComparer.Ordinal);

    // Bumped by Forget: a read that started before a change cannot store what it read after the change.
    private long _generation;

    // Per instance, not static: a compiled query belongs to one model, and tests run hosts of both providers.
    private readonly Func<LeadwireDbContext, string, Task<Page?>> _pageByMetaId =
        EF.CompileAsyncQuery((LeadwireDbContext db, string metaPageId) => db.Pages.AsNoTracking().SingleOrDefault(p => p.MetaPageId == metaPageId));

    private readonly Func<LeadwireDbContext, string, Task<FormQuestions?>> _formByMetaId =
        EF.CompileAsyncQuery((LeadwireDbContext db, string metaFormId) => db.Forms.AsNoTracking()
            .Where(f => f.MetaFormId == metaFormId)
            .Select(f => new FormQuestions(f.Id, f.QuestionsJson))
            .SingleOrDefault());

    /// <summary>The page (not tracked; do not change it) or null when none has this Meta id.</summary>
    public Task<Page?> PageAsync(LeadwireDbContext db, string metaPageId) => GetAsync(_pages, db, metaPageId, _pageByMetaId);

    /// <summary>The form's id and questions, or null when Leadwire has not seen the form.</summary>
    public Task<FormQuestions?> FormAsync(LeadwireDbContext db, string metaFormId) => GetAsync(_forms, db, metaFormId, _formByMetaId);

    /// <summary>Call after committing a change to pages or forms.</summary>
    public void Forget()
    {
        Interlocked.Increment(ref _generation);
        _pages.Clear();
        _forms.Clear();
    }

    private async Task<T?> GetAsync<T>(
        ConcurrentDictionary<string, Entry<T>> cache, LeadwireDbContext db, string key, Func<LeadwireDbContext, string, Task<T?>> query)
        where T : class
    {
        var now = time.GetTimestamp();
        if (cache.TryGetValue(key, out var entry) && time.GetElapsedTime(entry.ReadAt, now) < Freshness)
        {
            return entry.Value;
        }
        var generation = Volatile.Read(ref _generation);
        var value = await query(db, key);
        if (value is not null && generation == Volatile.Read(ref _generation))
        {
            if (cache.Count >= Limit)
            {
                cache.Clear();
            }
            cache[key] = new Entry<T>(value, now);
        }
        return value;
    }
}
