using System.Linq.Expressions;
using Leadwire.Data;
using Leadwire.Features.Accounts;
using Leadwire.Features.Leads;
using Microsoft.EntityFrameworkCore;

namespace Leadwire.Features.Export;

/// <summary>
/// The leads an export or a bulk operation works through — a whole filter or a list of ids, always bounded by what the
/// caller may see — read in batches by ascending id, so any number of leads is handled in bounded memory and a
/// batch's last id is a checkpoint to resume from.
/// </summary>
public abstract class LeadSet(Caller caller)
{
    public Caller Caller { get; } = caller;

    /// <summary>The Meta page the set is limited to, if it is (narrows the export's custom answer columns).</summary>
    public virtual string? MetaPageId => null;

    /// <summary>The Meta form the set is limited to, if it is.</summary>
    public virtual string? MetaFormId => null;

    /// <summary>How many leads the set holds (for a list of ids: how many were asked for).</summary>
    public abstract Task<int> CountAsync(LeadwireDbContext db, CancellationToken cancellationToken);

    /// <summary>
    /// The next at most <paramref name="size"/> leads with an id above <paramref name="after"/>, projected, in id order.
    /// <paramref name="where"/> narrows further (the export's first pass reads only some leads).
    /// </summary>
    public abstract Task<LeadBatch<T>> NextAsync<T>(
        LeadwireDbContext db, long after, int size, Expression<Func<Lead, T>> projection, Func<T, long> idOf,
        CancellationToken cancellationToken, Expression<Func<Lead, bool>>? where = null);

    /// <summary>
    /// Runs a batch query of a walk in id order. On PostgreSQL, sorting is switched off for it (SET LOCAL, in a
    /// transaction of its own): without statistics — a freshly loaded table that autovacuum has not analysed yet —
    /// the planner takes workspace_id = ? AND status = ? as a handful of rows, reads them through a (workspace_id,
    /// status, …) index and sorts them by id for every batch, which over a large workspace is quadratic. With sorting
    /// off the only plan left for ORDER BY id LIMIT n is the primary key, read in order from the last batch's id.
    /// </summary>
    protected static async Task<List<T>> ReadAsync<T>(LeadwireDbContext db, IQueryable<T> batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        if (!db.Database.IsNpgsql() || db.Database.CurrentTransaction is not null)
        {
            return await batch.ToListAsync(cancellationToken);
        }
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.Database.ExecuteSqlRawAsync("SET LOCAL enable_sort = off", cancellationToken);
        var rows = await batch.ToListAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return rows;
    }

    /// <summary>The leads table for a walk in id order.</summary>
    /// <remarks>
    /// SQLite, with no statistics gathered, takes an equality on workspace_id as very selective and picks one of the
    /// (workspace_id, …) indexes, then sorts the whole workspace by id for every batch: quadratic over a million leads.
    /// NOT INDEXED leaves it the rowid, which is the order wanted, so each batch starts where the last one ended and
    /// the whole walk reads the table once. PostgreSQL's planner has statistics and needs no hint.
    /// </remarks>
    public static IQueryable<Lead> InIdOrder(LeadwireDbContext db)
    {
        ArgumentNullException.ThrowIfNull(db);
        return db.Database.IsSqlite() ? db.Leads.FromSqlRaw("SELECT * FROM leads NOT INDEXED").AsNoTracking() : db.Leads.AsNoTracking();
    }
}

/// <summary>
/// One batch: the leads found, the requested ids that were not (lists only), and the id to continue after.
/// <see cref="End"/>: nothing was left to read.
/// </summary>
public sealed record LeadBatch<T>(IReadOnlyList<T> Rows, IReadOnlyList<long> Missing, long ReachedId, bool End)
{
    /// <summary>Leads dealt with in this batch, found or not.</summary>
    public int Consumed => Rows.Count + Missing.Count;
}

/// <summary>Every visible lead that matches a filter, up to a lead id fixed when the work was accepted.</summary>
/// <remarks>
/// The upper bound keeps leads that arrive while a long operation runs out of it: the operation acts on what the
/// person saw when they asked, and its total stays true.
/// </remarks>
public sealed class FilteredLeads(Caller caller, LeadFilter filter, long throughLeadId) : LeadSet(caller)
{
    public LeadFilter Filter { get; } = filter;

    public long ThroughLeadId { get; } = throughLeadId;

    public override string? MetaPageId => Filter.PageId;

    public override string? MetaFormId => Filter.FormId;

    public override Task<int> CountAsync(LeadwireDbContext db, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var through = ThroughLeadId;
        return Filter.Apply(db.Leads.AsNoTracking().VisibleTo(Caller), db).Where(l => l.Id <= through).CountAsync(cancellationToken);
    }

    public override async Task<LeadBatch<T>> NextAsync<T>(
        LeadwireDbContext db, long after, int size, Expression<Func<Lead, T>> projection, Func<T, long> idOf,
        CancellationToken cancellationToken, Expression<Func<Lead, bool>>? where = null)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(idOf);
        var through = ThroughLeadId;
        var query = Filter.Apply(InIdOrder(db).VisibleTo(Caller), db).Where(l => l.Id > after && l.Id <= through);
        if (where is not null)
        {
            query = query.Where(where);
        }
        var rows = await ReadAsync(db, query.OrderBy(l => l.Id).Take(size).Select(projection), cancellationToken);
        return new LeadBatch<T>(rows, [], rows.Count == 0 ? after : idOf(rows[^1]), rows.Count == 0);
    }
}

/// <summary>The visible leads among a list of ids; ids that are not (another workspace's, another agent's, gone) are missing.</summary>
public sealed class ListedLeads : LeadSet
{
    private readonly long[] _ids;

    /// <param name="caller">Whose visibility bounds the set.</param>
    /// <param name="ids">The requested lead ids, in any order, repeats allowed.</param>
    /// <param name="deleted">True: only soft-deleted leads count as found; false: only live ones; null: either.</param>
    public ListedLeads(Caller caller, IEnumerable<long> ids, bool? deleted)
        : base(caller)
    {
        ArgumentNullException.ThrowIfNull(ids);
        _ids = [.. ids.Distinct().Order()];
        Deleted = deleted;
    }

    public IReadOnlyList<long> Ids => _ids;

    public bool? Deleted { get; }

    public override Task<int> CountAsync(LeadwireDbContext db, CancellationToken cancellationToken) => Task.FromResult(_ids.Length);

    public override async Task<LeadBatch<T>> NextAsync<T>(
        LeadwireDbContext db, long after, int size, Expression<Func<Lead, T>> projection, Func<T, long> idOf,
        CancellationToken cancellationToken, Expression<Func<Lead, bool>>? where = null)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(idOf);
        var start = Array.BinarySearch(_ids, after);
        start = start >= 0 ? start + 1 : ~start;
        var slice = _ids.AsSpan(start, Math.Min(size, _ids.Length - start)).ToArray();
        if (slice.Length == 0)
        {
            return new LeadBatch<T>([], [], after, End: true);
        }

        var query = InIdOrder(db).VisibleTo(Caller).Where(l => slice.Contains(l.Id));
        query = Deleted switch
        {
            true => query.Where(l => l.DeletedAt != null),
            false => query.Where(l => l.DeletedAt == null),
            null => query,
        };
        if (where is not null)
        {
            query = query.Where(where);
        }
        var rows = await ReadAsync(db, query.OrderBy(l => l.Id).Select(projection), cancellationToken);
        var found = rows.Select(idOf).ToHashSet();
        // A narrowing predicate (the export's first pass) hides leads on purpose; only a plain read reports the missing.
        IReadOnlyList<long> missing = where is null ? [.. slice.Where(id => !found.Contains(id))] : [];
        return new LeadBatch<T>(rows, missing, slice[^1], End: false);
    }
}
