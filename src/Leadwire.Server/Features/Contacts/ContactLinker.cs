using Leadwire.Data;
using Microsoft.EntityFrameworkCore;

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
        var created = new Dictionary<long, Contact>();
        foreach (var (provisionalId, details) in plan.NewContacts())
        {
            var contact = new Contact
            {
                WorkspaceId = workspaceId,
                EmailNormalized = details.Email,
                PhoneNormalized = details.Phone,
                Name = details.Name,
                CreatedAt = now,
                UpdatedAt = now,
            };
            db.Contacts.Add(contact);
            created[provisionalId] = contact;
        }
        if (created.Count > 0)
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        long Real(long id) => id > 0 ? id : created[id].Id;

        foreach (var (merged, into) in plan.MergedExistingContacts())
        {
            var target = Real(into);
            // The survivor keeps its own email and phone and takes the merged contact's where it has none.
            await db.Contacts.Where(c => c.Id == target).ExecuteUpdateAsync(s => s
                .SetProperty(c => c.EmailNormalized, c => c.EmailNormalized ?? db.Contacts.Where(m => m.Id == merged).Select(m => m.EmailNormalized).FirstOrDefault())
                .SetProperty(c => c.PhoneNormalized, c => c.PhoneNormalized ?? db.Contacts.Where(m => m.Id == merged).Select(m => m.PhoneNormalized).FirstOrDefault())
                .SetProperty(c => c.Name, c => c.Name ?? db.Contacts.Where(m => m.Id == merged).Select(m => m.Name).FirstOrDefault())
                .SetProperty(c => c.UpdatedAt, now), cancellationToken);
            await db.Leads.Where(l => l.ContactId == merged).ExecuteUpdateAsync(s => s.SetProperty(l => l.ContactId, target), cancellationToken);
            await db.Contacts.Where(c => c.Id == merged && c.WorkspaceId == workspaceId).ExecuteDeleteAsync(cancellationToken);
        }

        foreach (var (contactId, details) in plan.ExistingContactsToFill())
        {
            // Fill only what the contact lacks: its shown email and phone stay the first ones it had.
            await db.Contacts.Where(c => c.Id == contactId).ExecuteUpdateAsync(s => s
                .SetProperty(c => c.EmailNormalized, c => c.EmailNormalized ?? details.Email)
                .SetProperty(c => c.PhoneNormalized, c => c.PhoneNormalized ?? details.Phone)
                .SetProperty(c => c.Name, c => c.Name ?? details.Name)
                .SetProperty(c => c.UpdatedAt, now), cancellationToken);
        }

        var links = plan.LeadsByContact().SelectMany(g => g.Select(leadId => (leadId, Real(g.Key)))).ToList();
        await SetContactsAsync(db, links, cancellationToken);
    }

    /// <summary>
    /// Sets each lead's contact, a few hundred leads per statement: most new leads are new people with a contact of
    /// their own, and a statement per lead would hold SQLite's one writer for a while at a thousand leads a second.
    /// Conditional: a lead linked meanwhile keeps its contact. UPDATE … FROM (VALUES …) reads the same on both
    /// providers (the VALUES columns are column1, column2 in each).
    /// </summary>
    private static async Task SetContactsAsync(LeadwireDbContext db, List<(long LeadId, long ContactId)> links, CancellationToken cancellationToken)
    {
        const int PairsPerStatement = 250;
        foreach (var chunk in links.Chunk(PairsPerStatement))
        {
            var parameters = new object[chunk.Length * 2];
            var rows = new string[chunk.Length];
            for (var i = 0; i < chunk.Length; i++)
            {
                parameters[2 * i] = chunk[i].LeadId;
                parameters[(2 * i) + 1] = chunk[i].ContactId;
                rows[i] = $"({{{2 * i}}}, {{{(2 * i) + 1}}})";
            }
            // Composite format with numbered placeholders: EF turns each into a parameter, never into SQL text.
            var sql = "UPDATE leads SET contact_id = v.column2 FROM (VALUES " + string.Join(", ", rows)
                + ") AS v WHERE leads.id = v.column1 AND leads.contact_id IS NULL";
            await db.Database.ExecuteSqlRawAsync(sql, parameters, cancellationToken);
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
