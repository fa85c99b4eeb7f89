using System.Globalization;
using System.Linq.Expressions;
using System.Text.Json;
using Leadwire.Data;
using Microsoft.EntityFrameworkCore;

namespace Leadwire.Features.Export;

/// <summary>
/// Writes a set of leads as a table (<see cref="LeadExportColumns"/>), reading them in batches by id with a
/// projection and no change tracking: memory holds one batch, never the export. Used by the streamed download and
/// by bulk export operations alike.
/// </summary>
public static class LeadExport
{
    public const int BatchSize = 2000;

    /// <summary>Writes header, rows and completion; returns how many leads were written.</summary>
    /// <param name="progress">
    /// Called after each batch with the leads dealt with so far (written or missing), at a moment when
    /// <paramref name="db"/> is idle, so it may use it.
    /// </param>
    public static async Task<LeadExportResult> WriteAsync(
        LeadwireDbContext db, LeadSet leads, long workspaceId, ITableWriter writer, Func<LeadExportProgress, Task>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(leads);
        ArgumentNullException.ThrowIfNull(writer);

        var columns = await LeadExportColumns.ForAsync(db, leads, workspaceId, cancellationToken);
        var forms = await db.Forms.AsNoTracking()
            .Where(f => f.Page!.WorkspaceId == workspaceId)
            .Select(f => new { f.Id, f.MetaFormId, f.Name })
            .ToListAsync(cancellationToken);
        var formNames = forms.ToDictionary(f => f.Id, f => f.Name);
        var formNamesByMetaId = forms.DistinctBy(f => f.MetaFormId).ToDictionary(f => f.MetaFormId, f => f.Name, StringComparer.Ordinal);
        await using var sqliteRows = db.Database.IsSqlite() ? SqliteExportRows.For(db).Open(db) : null;
        var reader = new BatchReader(db, leads, new AssigneeEmails(db, workspaceId), sqliteRows);
        await reader.Emails.LoadMembersAsync(cancellationToken);

        await writer.WriteHeaderAsync(columns.Names, cancellationToken);
        // One row buffer for the whole export: writers copy the values out before WriteRowAsync returns.
        var values = new string?[columns.Count];
        var answers = new AnswerReader(columns);
        long written = 0;
        long consumed = 0;
        long missing = 0;
        // Reading a batch and writing one cost about the same, so the next batch is read (on another thread) while
        // this one is written: on two cores that nearly halves an export. The context is used by one read at a time.
        var pending = reader.ReadAsync(0, cancellationToken);
        try
        {
            while (true)
            {
                var batch = await pending;
                if (progress is not null && consumed > 0)
                {
                    await progress(new LeadExportProgress(consumed, written, missing, batch.After));
                }
                if (batch.Leads.End)
                {
                    break;
                }
                var after = batch.Leads.ReachedId;
                pending = Task.Run(() => reader.ReadAsync(after, cancellationToken), cancellationToken);

                foreach (var row in batch.Leads.Rows)
                {
                    Fill(values, row, columns, answers, batch,
                        row.FormId is { } formId && formNames.TryGetValue(formId, out var name) ? name
                        : row.MetaFormId is { } metaFormId && formNamesByMetaId.TryGetValue(metaFormId, out var byMeta) ? byMeta : null);
                    await writer.WriteRowAsync(values, cancellationToken);
                }
                written += batch.Leads.Rows.Count;
                missing += batch.Leads.Missing.Count;
                consumed += batch.Leads.Consumed;
            }
        }
        finally
        {
            // A write that failed (the client went away) must not leave a read running on a context about to be
            // disposed.
            await Task.WhenAny(pending); // waits for it to end without rethrowing its failure
        }
        await writer.CompleteAsync(cancellationToken);
        return new LeadExportResult(written, missing, columns.Count);
    }

    /// <summary>Reads a batch of leads with everything its rows need: tags and assignee emails.</summary>
    private sealed class BatchReader(LeadwireDbContext db, LeadSet leads, AssigneeEmails emails, SqliteExportRows.Session? sqliteRows)
    {
        public AssigneeEmails Emails => emails;

        public async Task<ReadBatch> ReadAsync(long after, CancellationToken cancellationToken)
        {
            var batch = await ReadLeadsAsync(after, cancellationToken);
            var tags = new Dictionary<long, string>();
            Dictionary<long, string?> assignees = [];
            if (batch.Rows.Count > 0)
            {
                await LoadTagsAsync(db, batch.Rows[0].Id, batch.Rows[^1].Id, tags, cancellationToken);
                assignees = await emails.ForAsync(batch.Rows, cancellationToken);
            }
            return new ReadBatch(batch, after, tags, assignees);
        }

        private async Task<LeadBatch<ExportRow>> ReadLeadsAsync(long after, CancellationToken cancellationToken)
        {
            if (sqliteRows is null)
            {
                return await leads.NextAsync(db, after, BatchSize, ExportRow.Projection, r => r.Id, cancellationToken);
            }
            // SQLite: the set's ids first (its filter stays in LINQ), then their rows a JSON array each.
            var ids = await leads.NextAsync(db, after, BatchSize, l => l.Id, id => id, cancellationToken);
            var rows = await sqliteRows.ReadAsync(ids.Rows, cancellationToken);
            return new LeadBatch<ExportRow>(rows, ids.Missing, ids.ReachedId, ids.End);
        }
    }

    /// <summary>A batch ready to write; it shares nothing the next read changes.</summary>
    private sealed record ReadBatch(LeadBatch<ExportRow> Leads, long After, Dictionary<long, string> Tags, Dictionary<long, string?> Assignees);

    /// <summary>Tags of the batch's id range, read by the (lead_id, tag) key, joined per lead; tags of leads outside the batch are never looked up.</summary>
    private static async Task LoadTagsAsync(LeadwireDbContext db, long firstId, long lastId, Dictionary<long, string> tags, CancellationToken cancellationToken)
    {
        var rows = await db.LeadTags.AsNoTracking()
            .Where(t => t.LeadId >= firstId && t.LeadId <= lastId)
            .OrderBy(t => t.LeadId).ThenBy(t => t.Tag)
            .Select(t => new { t.LeadId, t.Tag })
            .ToListAsync(cancellationToken);
        foreach (var lead in rows.GroupBy(t => t.LeadId))
        {
            tags[lead.Key] = string.Join(", ", lead.Select(t => t.Tag));
        }
    }

    private static void Fill(string?[] values, ExportRow row, LeadExportColumns columns, AnswerReader answers, ReadBatch batch, string? formName)
    {
        Array.Clear(values);
        var erased = row.ErasedAt is not null;
        var i = 0;
        values[i++] = row.Id.ToString(CultureInfo.InvariantCulture);
        values[i++] = row.MetaLeadId;
        values[i++] = Time(row.CreatedTime);
        values[i++] = StatusName(row.Status);
        values[i++] = row.StatusReason;
        values[i++] = row.AssigneeUserId is { } assignee ? batch.Assignees.GetValueOrDefault(assignee) : null;
        values[i++] = row.Score.ToString(CultureInfo.InvariantCulture);
        values[i++] = batch.Tags.GetValueOrDefault(row.Id);
        values[i++] = row.MetaPageId;
        values[i++] = row.MetaFormId;
        values[i++] = formName;
        values[i++] = row.CampaignId;
        values[i++] = row.CampaignName;
        values[i++] = row.AdsetId;
        values[i++] = row.AdsetName;
        values[i++] = row.AdId;
        values[i++] = row.AdName;
        values[i++] = row.Platform;
        values[i++] = row.IsOrganic ? "true" : "false";
        values[i++] = row.IsTest ? "true" : "false";
        // An erased lead's personal data is gone for good; the export must not bring back any that lingered.
        values[i++] = erased ? null : row.FullName;
        values[i++] = erased ? null : row.FirstName;
        values[i++] = erased ? null : row.LastName;
        values[i++] = erased ? null : row.Email;
        values[i++] = erased ? null : row.Phone;
        values[i++] = erased ? null : row.StreetAddress;
        values[i++] = erased ? null : row.City;
        values[i++] = erased ? null : row.State;
        values[i++] = erased ? null : row.Zip;
        values[i++] = erased ? null : row.Country;
        values[i++] = erased ? null : row.CompanyName;
        values[i++] = erased ? null : row.JobTitle;
        values[i++] = Time(row.ContactedAt);
        values[i++] = Time(row.ConvertedAt);
        if (!erased && columns.AnswerKeys.Count > 0)
        {
            answers.Fill(values, row.AnswersJson);
        }
        values[^2] = Time(row.DeletedAt);
        values[^1] = Time(row.ErasedAt);
    }

    private static string StatusName(LeadStatus status) => status switch
    {
        LeadStatus.New => "new",
        LeadStatus.Contacted => "contacted",
        LeadStatus.Qualified => "qualified",
        LeadStatus.Converted => "converted",
        LeadStatus.Disqualified => "disqualified",
        LeadStatus.Archived => "archived",
        _ => status.ToString().ToLowerInvariant(),
    };

    private static string? Time(DateTime? value) => value is { } time ? ExportTime.Format(time) : null;

    /// <summary>Emails of assignees: the workspace's members up front, anyone else (a former member) on first sight.</summary>
    private sealed class AssigneeEmails(LeadwireDbContext db, long workspaceId)
    {
        private readonly Dictionary<long, string?> _emails = [];

        public async Task LoadMembersAsync(CancellationToken cancellationToken)
        {
            var members = await db.Memberships.AsNoTracking()
                .Where(m => m.WorkspaceId == workspaceId)
                .Join(db.Users, m => m.UserId, u => u.Id, (m, u) => new { u.Id, u.Email })
                .ToListAsync(cancellationToken);
            foreach (var member in members)
            {
                _emails[member.Id] = member.Email;
            }
        }

        /// <summary>The emails of a batch's assignees, in a dictionary of the batch's own (the writer reads it on another thread).</summary>
        public async Task<Dictionary<long, string?>> ForAsync(IReadOnlyList<ExportRow> rows, CancellationToken cancellationToken)
        {
            var ids = rows.Where(r => r.AssigneeUserId is not null).Select(r => r.AssigneeUserId!.Value).Distinct().ToList();
            var unknown = ids.Where(id => !_emails.ContainsKey(id)).ToList();
            if (unknown.Count > 0)
            {
                var found = await db.Users.AsNoTracking().Where(u => unknown.Contains(u.Id)).Select(u => new { u.Id, u.Email }).ToListAsync(cancellationToken);
                foreach (var id in unknown)
                {
                    _emails[id] = found.FirstOrDefault(u => u.Id == id)?.Email;
                }
            }
            return ids.ToDictionary(id => id, id => _emails[id]);
        }
    }
}

/// <summary>What an export wrote: leads, requested ids not found (lists only), and columns.</summary>
public sealed record LeadExportResult(long Written, long Missing, int Columns);

/// <summary>Progress after a batch: leads dealt with, written, not found, and the last id reached.</summary>
public sealed record LeadExportProgress(long Consumed, long Written, long Missing, long ReachedId);

/// <summary>The columns an export reads from a lead (never the raw Graph node, which is most of a row's bytes).</summary>
public sealed class ExportRow
{
    public static readonly Expression<Func<Lead, ExportRow>> Projection = l => new ExportRow
    {
        Id = l.Id,
        MetaLeadId = l.MetaLeadId,
        CreatedTime = l.CreatedTime,
        Status = l.Status,
        StatusReason = l.StatusReason,
        AssigneeUserId = l.AssigneeUserId,
        Score = l.Score,
        MetaPageId = l.MetaPageId,
        FormId = l.FormId,
        MetaFormId = l.MetaFormId,
        CampaignId = l.CampaignId,
        CampaignName = l.CampaignName,
        AdsetId = l.AdsetId,
        AdsetName = l.AdsetName,
        AdId = l.AdId,
        AdName = l.AdName,
        Platform = l.Platform,
        IsOrganic = l.IsOrganic,
        IsTest = l.IsTest,
        FullName = l.FullName,
        FirstName = l.FirstName,
        LastName = l.LastName,
        Email = l.Email,
        Phone = l.Phone,
        StreetAddress = l.StreetAddress,
        City = l.City,
        State = l.State,
        Zip = l.Zip,
        Country = l.Country,
        CompanyName = l.CompanyName,
        JobTitle = l.JobTitle,
        ContactedAt = l.ContactedAt,
        ConvertedAt = l.ConvertedAt,
        AnswersJson = l.AnswersJson,
        DeletedAt = l.DeletedAt,
        ErasedAt = l.ErasedAt,
    };

    public long Id { get; init; }
    public required string MetaLeadId { get; init; }
    public DateTime CreatedTime { get; init; }
    public LeadStatus Status { get; init; }
    public string? StatusReason { get; init; }
    public long? AssigneeUserId { get; init; }
    public int Score { get; init; }
    public required string MetaPageId { get; init; }
    public long? FormId { get; init; }
    public string? MetaFormId { get; init; }
    public string? CampaignId { get; init; }
    public string? CampaignName { get; init; }
    public string? AdsetId { get; init; }
    public string? AdsetName { get; init; }
    public string? AdId { get; init; }
    public string? AdName { get; init; }
    public string? Platform { get; init; }
    public bool IsOrganic { get; init; }
    public bool IsTest { get; init; }
    public string? FullName { get; init; }
    public string? FirstName { get; init; }
    public string? LastName { get; init; }
    public string? Email { get; init; }
    public string? Phone { get; init; }
    public string? StreetAddress { get; init; }
    public string? City { get; init; }
    public string? State { get; init; }
    public string? Zip { get; init; }
    public string? Country { get; init; }
    public string? CompanyName { get; init; }
    public string? JobTitle { get; init; }
    public DateTime? ContactedAt { get; init; }
    public DateTime? ConvertedAt { get; init; }
    public string? AnswersJson { get; init; }
    public DateTime? DeletedAt { get; init; }
    public DateTime? ErasedAt { get; init; }
}
