using System.Data.Common;
using Leadwire.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace Leadwire.Features.Contacts;

/// <summary>
/// Links new leads to contacts (PRODUCT.md C9): leads of a workspace that share a normalised email or phone belong
/// to one contact. Matching looks at the keys of the leads already linked, not only at the contact's own pair, so a
/// person who used two phone numbers with one email is still found by either number. When one lead's email points
/// to contact A and its phone to contact B, B is merged into A (its leads move, B is deleted). A lead with neither
/// key gets a contact of its own. Runs inside the intake's write transaction, which nothing else links in.
/// </summary>
public static class ContactLinker
{
    /// <summary>The keys of one lead waiting for its contact.</summary>
    public sealed record Subject(long LeadId, long WorkspaceId, string? Email, string? Phone, string? Name);

    /// <summary>Links each of <paramref name="subjects"/> (leads with no contact yet); returns how many were linked.</summary>
    public static async Task<int> LinkAsync(LeadwireDbContext db, IReadOnlyList<Subject> subjects, DateTime now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(subjects);
        var linked = 0;
        foreach (var workspace in subjects.GroupBy(s => s.WorkspaceId))
        {
            linked += await LinkWorkspaceAsync(db, workspace.Key, workspace.OrderBy(s => s.LeadId).ToList(), now, cancellationToken);
        }
        return linked;
    }

    private static async Task<int> LinkWorkspaceAsync(LeadwireDbContext db, long workspaceId, List<Subject> subjects, DateTime now, CancellationToken cancellationToken)
    {
        var emails = subjects.Where(s => s.Email is not null).Select(s => s.Email!).Distinct(StringComparer.Ordinal).ToList();
        var phones = subjects.Where(s => s.Phone is not null).Select(s => s.Phone!).Distinct(StringComparer.Ordinal).ToList();

        // Existing links, one row per (contact, key): a key shared by thousands of leads is still one row.
        var byEmail = emails.Count == 0 ? [] : await db.Leads.AsNoTracking()
            .Where(l => l.WorkspaceId == workspaceId && l.ContactId != null && emails.Contains(l.EmailNormalized!))
            .Select(l => new { Key = l.EmailNormalized!, ContactId = l.ContactId!.Value }).Distinct()
            .Select(k => new KeyLink(k.Key, k.ContactId)).ToListAsync(cancellationToken);
        var byPhone = phones.Count == 0 ? [] : await db.Leads.AsNoTracking()
            .Where(l => l.WorkspaceId == workspaceId && l.ContactId != null && phones.Contains(l.PhoneNormalized!))
            .Select(l => new { Key = l.PhoneNormalized!, ContactId = l.ContactId!.Value }).Distinct()
            .Select(k => new KeyLink(k.Key, k.ContactId)).ToListAsync(cancellationToken);

        var plan = new LinkPlan();
        // Keys already split across contacts (linked before a merge could see them) are joined here, oldest first.
        foreach (var group in byEmail.GroupBy(k => k.Key))
        {
            plan.IndexEmail(group.Key, group.Select(k => k.ContactId).Order().ToList());
        }
        foreach (var group in byPhone.GroupBy(k => k.Key))
        {
            plan.IndexPhone(group.Key, group.Select(k => k.ContactId).Order().ToList());
        }
        foreach (var subject in subjects)
        {
            plan.Link(subject);
        }

        await ApplyAsync(db, workspaceId, plan, now, cancellationToken);
        return subjects.Count;
    }

    private sealed record KeyLink(string Key, long ContactId);

    private static async Task ApplyAsync(LeadwireDbContext db, long workspaceId, LinkPlan plan, DateTime now, CancellationToken cancellationToken)
    {
        // New contacts first: their ids are needed for the leads.
        var created = await InsertContactsAsync(db, workspaceId, plan.NewContacts().ToList(), now, cancellationToken);
        long Real(long id) => id > 0 ? id : created[id];

        await MergeContactsAsync(db, workspaceId, plan.MergedExistingContacts().Select(m => (m.Merged, Real(m.Into))).ToList(), now, cancellationToken);
        await FillContactsAsync(db, plan.ExistingContactsToFill().ToList(), now, cancellationToken);

        var links = plan.LeadsByContact().SelectMany(g => g.Select(leadId => (leadId, Real(g.Key)))).ToList();
        await SetContactsAsync(db, links, cancellationToken);
    }

    // The statements below are written by hand, a few hundred rows each: a batch of new leads is mostly new people,
    // and a statement per row (what EF's SaveChanges and ExecuteUpdate send) held SQLite's one writer for a quarter
    // of a millisecond per lead. Values go in as parameters, never as SQL text, and UPDATE … FROM (VALUES …) reads
    // the same on both providers (the VALUES columns are column1, column2, … in each). CAST gives a parameter that
    // may be null a type PostgreSQL can infer.
    private const int RowsPerStatement = 200;

    /// <summary>
    /// Inserts the new contacts and returns their ids by provisional id. The rows come back from RETURNING, whose
    /// order neither provider promises, so each is matched by its email (or, without one, its phone): no two new
    /// contacts of a batch share either, or they would be one contact. Contacts with neither key go one by one.
    /// </summary>
    private static async Task<Dictionary<long, long>> InsertContactsAsync(
        LeadwireDbContext db, long workspaceId, List<(long ProvisionalId, Details Details)> contacts, DateTime now, CancellationToken cancellationToken)
    {
        var ids = new Dictionary<long, long>(contacts.Count);
        var keyed = contacts.Where(c => c.Details.Email is not null || c.Details.Phone is not null).ToList();
        foreach (var chunk in keyed.Chunk(RowsPerStatement))
        {
            var byKey = chunk.ToDictionary(c => Key(c.Details.Email, c.Details.Phone), c => c.ProvisionalId, StringComparer.Ordinal);
            var rows = await InsertAsync(db, workspaceId, chunk.Select(c => c.Details).ToList(), now, cancellationToken);
            foreach (var (id, email, phone) in rows)
            {
                ids[byKey[Key(email, phone)]] = id;
            }
        }
        foreach (var (provisionalId, details) in contacts.Where(c => c.Details.Email is null && c.Details.Phone is null))
        {
            ids[provisionalId] = (await InsertAsync(db, workspaceId, [details], now, cancellationToken))[0].Id;
        }
        return ids;

        static string Key(string? email, string? phone) => email is not null ? "e:" + email : "p:" + phone;
    }

    private static async Task<List<(long Id, string? Email, string? Phone)>> InsertAsync(
        LeadwireDbContext db, long workspaceId, List<Details> contacts, DateTime now, CancellationToken cancellationToken)
    {
        await using var command = CommandIn(db);
        command.AddParameter("@w", workspaceId);
        command.AddParameter("@now", now);
        var rows = new string[contacts.Count];
        for (var i = 0; i < contacts.Count; i++)
        {
            AddKeys(command, i, contacts[i]);
            rows[i] = $"(@w, CAST(@e{i} AS TEXT), CAST(@p{i} AS TEXT), CAST(@n{i} AS TEXT), @now, @now)";
        }
        command.CommandText = "INSERT INTO contacts (workspace_id, email_normalized, phone_normalized, name, created_at, updated_at) VALUES "
            + string.Join(", ", rows) + " RETURNING id, email_normalized, phone_normalized";
        var inserted = new List<(long, string?, string?)>(contacts.Count);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            inserted.Add((reader.GetInt64(0), reader.IsDBNull(1) ? null : reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2)));
        }
        return inserted;
    }

    /// <summary>
    /// Merges existing contacts into others: each survivor keeps its own email, phone and name and takes the merged
    /// contacts' (oldest first) where it has none; the merged contacts' leads move to it and the merged contacts go.
    /// </summary>
    private static async Task MergeContactsAsync(
        LeadwireDbContext db, long workspaceId, List<(long Merged, long Into)> merges, DateTime now, CancellationToken cancellationToken)
    {
        if (merges.Count == 0)
        {
            return;
        }
        var mergedIds = merges.Select(m => m.Merged).ToList();
        var merged = await db.Contacts.AsNoTracking()
            .Where(c => c.WorkspaceId == workspaceId && mergedIds.Contains(c.Id))
            .Select(c => new { c.Id, c.EmailNormalized, c.PhoneNormalized, c.Name })
            .ToDictionaryAsync(c => c.Id, cancellationToken);
        var fills = new List<(long ContactId, Details Details)>();
        foreach (var survivor in merges.GroupBy(m => m.Into))
        {
            var details = new Details();
            foreach (var id in survivor.Select(m => m.Merged).Order())
            {
                if (merged.TryGetValue(id, out var contact))
                {
                    details.Fill(contact.EmailNormalized, contact.PhoneNormalized, contact.Name);
                }
            }
            fills.Add((survivor.Key, details));
        }
        await FillContactsAsync(db, fills, now, cancellationToken);

        foreach (var chunk in merges.Chunk(RowsPerStatement))
        {
            await using var move = CommandIn(db);
            var rows = new string[chunk.Length];
            for (var i = 0; i < chunk.Length; i++)
            {
                move.AddParameter($"@m{i}", chunk[i].Merged);
                move.AddParameter($"@s{i}", chunk[i].Into);
                rows[i] = $"(@m{i}, @s{i})";
            }
            move.CommandText = "UPDATE leads SET contact_id = v.column2 FROM (VALUES " + string.Join(", ", rows) + ") AS v WHERE leads.contact_id = v.column1";
            await move.ExecuteNonQueryAsync(cancellationToken);

            var ids = chunk.Select(m => m.Merged).ToList();
            await db.Contacts.Where(c => c.WorkspaceId == workspaceId && ids.Contains(c.Id)).ExecuteDeleteAsync(cancellationToken);
        }
    }

    /// <summary>Fills in only what each contact lacks: its shown email and phone stay the first ones it had.</summary>
    private static async Task FillContactsAsync(LeadwireDbContext db, List<(long ContactId, Details Details)> fills, DateTime now, CancellationToken cancellationToken)
    {
        foreach (var chunk in fills.Chunk(RowsPerStatement))
        {
            await using var command = CommandIn(db);
            command.AddParameter("@now", now);
            var rows = new string[chunk.Length];
            for (var i = 0; i < chunk.Length; i++)
            {
                command.AddParameter($"@c{i}", chunk[i].ContactId);
                AddKeys(command, i, chunk[i].Details);
                rows[i] = $"(@c{i}, CAST(@e{i} AS TEXT), CAST(@p{i} AS TEXT), CAST(@n{i} AS TEXT))";
            }
            command.CommandText = "UPDATE contacts SET email_normalized = COALESCE(contacts.email_normalized, v.column2), "
                + "phone_normalized = COALESCE(contacts.phone_normalized, v.column3), name = COALESCE(contacts.name, v.column4), updated_at = @now "
                + "FROM (VALUES " + string.Join(", ", rows) + ") AS v WHERE contacts.id = v.column1";
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    /// <summary>A command on the context's connection, in its transaction.</summary>
    private static DbCommand CommandIn(LeadwireDbContext db)
    {
        var command = db.Database.GetDbConnection().CreateCommand();
        command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
        return command;
    }

    private static void AddKeys(DbCommand command, int row, Details details)
    {
        command.AddParameter($"@e{row}", (object?)details.Email ?? DBNull.Value);
        command.AddParameter($"@p{row}", (object?)details.Phone ?? DBNull.Value);
        command.AddParameter($"@n{row}", (object?)details.Name ?? DBNull.Value);
    }

    /// <summary>Sets each lead's contact. Conditional: a lead linked meanwhile keeps its contact.</summary>
    private static async Task SetContactsAsync(LeadwireDbContext db, List<(long LeadId, long ContactId)> links, CancellationToken cancellationToken)
    {
        foreach (var chunk in links.Chunk(RowsPerStatement))
        {
            await using var command = CommandIn(db);
            var rows = new string[chunk.Length];
            for (var i = 0; i < chunk.Length; i++)
            {
                command.AddParameter($"@l{i}", chunk[i].LeadId);
                command.AddParameter($"@c{i}", chunk[i].ContactId);
                rows[i] = $"(@l{i}, @c{i})";
            }
            command.CommandText = "UPDATE leads SET contact_id = v.column2 FROM (VALUES " + string.Join(", ", rows)
                + ") AS v WHERE leads.id = v.column1 AND leads.contact_id IS NULL";
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    /// <summary>Contact details gathered for one contact from its new leads.</summary>
    private sealed class Details
    {
        public string? Email { get; set; }
        public string? Phone { get; set; }
        public string? Name { get; set; }

        public bool IsEmpty => Email is null && Phone is null && Name is null;

        public void Fill(string? email, string? phone, string? name)
        {
            Email ??= email;
            Phone ??= phone;
            Name ??= name;
        }
    }

    /// <summary>
    /// The batch worked out in memory: which lead goes to which contact, which contacts merge, which are new
    /// (negative provisional ids until inserted). A union-find over contact ids keeps merges transitive.
    /// </summary>
    private sealed class LinkPlan
    {
        private readonly Dictionary<string, long> _email = new(StringComparer.Ordinal);
        private readonly Dictionary<string, long> _phone = new(StringComparer.Ordinal);
        private readonly Dictionary<long, long> _parent = [];
        private readonly Dictionary<long, Details> _details = [];
        private readonly List<(long LeadId, long ContactId)> _leads = [];
        private long _nextProvisional = -1;

        public void IndexEmail(string email, List<long> contactIds) => _email[email] = UnionAll(contactIds);

        public void IndexPhone(string phone, List<long> contactIds) => _phone[phone] = UnionAll(contactIds);

        public void Link(Subject subject)
        {
            long? byEmail = subject.Email is not null && _email.TryGetValue(subject.Email, out var e) ? Find(e) : null;
            long? byPhone = subject.Phone is not null && _phone.TryGetValue(subject.Phone, out var p) ? Find(p) : null;

            long contact;
            if (byEmail is { } a && byPhone is { } b)
            {
                contact = Union(a, b);
            }
            else if ((byEmail ?? byPhone) is { } found)
            {
                contact = found;
            }
            else
            {
                contact = _nextProvisional--;
                _parent[contact] = contact;
            }

            if (subject.Email is not null)
            {
                _email[subject.Email] = contact;
            }
            if (subject.Phone is not null)
            {
                _phone[subject.Phone] = contact;
            }
            DetailsOf(contact).Fill(subject.Email, subject.Phone, subject.Name);
            _leads.Add((subject.LeadId, contact));
        }

        /// <summary>Provisional contacts that survived every merge, with what their leads said.</summary>
        public IEnumerable<(long ProvisionalId, Details Details)> NewContacts() =>
            Survivors().Where(g => g.Key < 0).Select(g => (g.Key, MergedDetails(g.Key, g.Value)));

        /// <summary>Existing contacts merged into another contact (existing or new).</summary>
        public IEnumerable<(long Merged, long Into)> MergedExistingContacts() =>
            _parent.Keys.ToList().Where(id => id > 0 && Find(id) != id).Select(id => (id, Find(id)));

        /// <summary>Existing contacts that survive, with what their new leads could add.</summary>
        public IEnumerable<(long ContactId, Details Details)> ExistingContactsToFill() =>
            Survivors().Where(g => g.Key > 0).Select(g => (g.Key, MergedDetails(g.Key, g.Value))).Where(x => !x.Item2.IsEmpty);

        public IEnumerable<IGrouping<long, long>> LeadsByContact() => _leads.GroupBy(l => Find(l.ContactId), l => l.LeadId);

        private Details DetailsOf(long contactId)
        {
            if (!_details.TryGetValue(contactId, out var details))
            {
                details = new Details();
                _details[contactId] = details;
            }
            return details;
        }

        /// <summary>Each surviving contact with every contact merged into it (itself included).</summary>
        private Dictionary<long, List<long>> Survivors() =>
            _parent.Keys.ToList().GroupBy(Find).ToDictionary(g => g.Key, g => g.ToList());

        /// <summary>The details of a surviving contact: its own first, then those of the contacts merged into it.</summary>
        private Details MergedDetails(long root, List<long> members)
        {
            var merged = new Details();
            foreach (var id in members.OrderBy(id => id == root ? 0 : 1).ThenBy(id => id))
            {
                if (_details.TryGetValue(id, out var details))
                {
                    merged.Fill(details.Email, details.Phone, details.Name);
                }
            }
            return merged;
        }

        private long UnionAll(List<long> contactIds)
        {
            foreach (var id in contactIds)
            {
                _parent.TryAdd(id, id);
            }
            var root = Find(contactIds[0]);
            foreach (var id in contactIds.Skip(1))
            {
                root = Union(root, Find(id));
            }
            return root;
        }

        private long Find(long id)
        {
            while (_parent[id] != id)
            {
                _parent[id] = _parent[_parent[id]];
                id = _parent[id];
            }
            return id;
        }

        /// <summary>
        /// Joins two contacts; the survivor is <paramref name="preferred"/> (the email's contact) unless only the
        /// other one already exists: merging an existing contact into a new one would change the id people use.
        /// Between two existing contacts the email's wins, as PRODUCT.md's C9 reads.
        /// </summary>
        private long Union(long preferred, long other)
        {
            preferred = Find(preferred);
            other = Find(other);
            if (preferred == other)
            {
                return preferred;
            }
            var (survivor, merged) = preferred < 0 && other > 0 ? (other, preferred) : (preferred, other);
            _parent[merged] = survivor;
            return survivor;
        }
    }
}
