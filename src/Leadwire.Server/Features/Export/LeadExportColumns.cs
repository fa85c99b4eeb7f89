using System.Linq.Expressions;
using System.Text.Json;
using Leadwire.Data;
using Leadwire.Meta;
using Microsoft.EntityFrameworkCore;

namespace Leadwire.Features.Export;

/// <summary>
/// The columns of a lead export: the lead's fixed fields, then one column per custom answer key, then the deletion
/// dates. Custom keys are those of the forms in scope, so the header is known before the first row is read.
/// </summary>
/// <remarks>
/// Where the custom keys come from, cheapest first: the questions of the workspace's forms (narrowed to the
/// filter's page or form), in form order then question order. A form's questions are fixed once Meta publishes it,
/// so they name every answer its leads can carry. Only leads the questions cannot speak for — leads stored before
/// their form was synced (no form row) and leads of forms whose questions are unknown — are read for their
/// answers' keys, in a first pass over just those leads; when there are none (the usual case), no pass is made.
/// </remarks>
public sealed class LeadExportColumns
{
    /// <summary>Most custom answer columns in one export; a form with more is a data problem, not a spreadsheet.</summary>
    public const int MaxCustomColumns = 1000;

    public static readonly IReadOnlyList<string> Leading =
    [
        "id", "meta_lead_id", "created_time", "status", "status_reason", "assignee_email", "score", "tags",
        "page_id", "form_id", "form_name", "campaign_id", "campaign_name", "adset_id", "adset_name", "ad_id", "ad_name",
        "platform", "is_organic", "is_test",
        "full_name", "first_name", "last_name", "email", "phone", "street_address", "city", "state", "zip", "country",
        "company_name", "job_title", "contacted_at", "converted_at",
    ];

    public static readonly IReadOnlyList<string> Trailing = ["deleted_at", "erased_at"];

    /// <summary>Answer keys Leadwire already maps to a column of its own (see Features.Leads.LeadMapper).</summary>
    private static readonly HashSet<string> StandardKeys = new(StringComparer.OrdinalIgnoreCase)
    {
        "full_name", "first_name", "last_name", "email", "phone_number", "phone", "street_address", "city", "state",
        "province", "zip_code", "zip", "post_code", "postal_code", "country", "company_name", "job_title",
    };

    /// <summary>
    /// Question types whose answer is one of those columns. Work email and work phone are kept as answers too: the
    /// mapper fills email and phone from them only when the personal ones are missing.
    /// </summary>
    private static readonly HashSet<string> StandardTypes = new(StringComparer.OrdinalIgnoreCase)
    {
        "FULL_NAME", "FIRST_NAME", "LAST_NAME", "EMAIL", "PHONE", "STREET_ADDRESS", "CITY", "STATE", "PROVINCE", "ZIP",
        "POST_CODE", "COUNTRY", "COMPANY_NAME", "JOB_TITLE",
    };

    private LeadExportColumns(IReadOnlyList<string> answerKeys)
    {
        AnswerKeys = answerKeys;
        var fixedNames = Leading.Concat(Trailing).ToHashSet(StringComparer.Ordinal);
        // A custom key that repeats a fixed column's name ("status", "email" asked as a custom question) gets a prefix
        // rather than two columns of one name, which JSON lines could not even hold.
        Names = [.. Leading, .. answerKeys.Select(k => fixedNames.Contains(k) ? "answer_" + k : k), .. Trailing];
        AnswerIndex = answerKeys.Select((key, i) => (key, i)).ToDictionary(p => p.key, p => Leading.Count + p.i, StringComparer.Ordinal);
    }

    /// <summary>Every column name, in order.</summary>
    public IReadOnlyList<string> Names { get; }

    /// <summary>The custom answer keys, in column order.</summary>
    public IReadOnlyList<string> AnswerKeys { get; }

    /// <summary>Answer key → its column's index.</summary>
    public IReadOnlyDictionary<string, int> AnswerIndex { get; }

    public int Count => Names.Count;

    /// <summary>The columns for exporting <paramref name="leads"/> of <paramref name="workspaceId"/>.</summary>
    public static async Task<LeadExportColumns> ForAsync(LeadwireDbContext db, LeadSet leads, long workspaceId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(leads);

        var forms = db.Forms.AsNoTracking().Where(f => f.Page!.WorkspaceId == workspaceId);
        if (leads.MetaPageId is { } pageId)
        {
            forms = forms.Where(f => f.Page!.MetaPageId == pageId);
        }
        if (leads.MetaFormId is { } formId)
        {
            forms = forms.Where(f => f.MetaFormId == formId);
        }
        var scoped = await forms.OrderBy(f => f.Id).Select(f => new { f.Id, f.MetaFormId, f.QuestionsJson }).ToListAsync(cancellationToken);

        var keys = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var withoutQuestions = new List<long>();
        var withQuestions = new List<string>();
        foreach (var form in scoped)
        {
            var questions = Questions(form.QuestionsJson);
            if (questions is null || questions.Count == 0)
            {
                withoutQuestions.Add(form.Id);
                continue;
            }
            withQuestions.Add(form.MetaFormId);
            foreach (var question in questions)
            {
                if (question.Key is { Length: > 0 } key && IsCustom(key, question.Type) && seen.Add(key))
                {
                    keys.Add(key);
                }
            }
        }

        if (await NeedsAnswerPassAsync(db, workspaceId, withoutQuestions, withQuestions, cancellationToken))
        {
            await AddKeysFromAnswersAsync(db, leads, withoutQuestions, withQuestions, keys, seen, cancellationToken);
        }
        return new LeadExportColumns(keys.Count > MaxCustomColumns ? keys[..MaxCustomColumns] : keys);
    }

    private static bool IsCustom(string key, string? type) =>
        !StandardKeys.Contains(key) && (type is null || !StandardTypes.Contains(type));

    private static List<GraphQuestion>? Questions(string? json)
    {
        if (string.IsNullOrEmpty(json))
        {
            return null;
        }
        try
        {
            return JsonSerializer.Deserialize<List<GraphQuestion>>(json);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>
    /// Whether any lead of the workspace lacks questions to speak for it. Both probes lead with form_id, so they use
    /// the (form_id, created_time) index and cost nothing when there are no such leads.
    /// </summary>
    private static async Task<bool> NeedsAnswerPassAsync(
        LeadwireDbContext db, long workspaceId, List<long> withoutQuestions, List<string> withQuestions, CancellationToken cancellationToken)
    {
        // The forms are the workspace's already, and so are their leads: a workspace_id term here would only tempt
        // SQLite's planner away from the form_id index.
        if (withoutQuestions.Count > 0 && await db.Leads.AnyAsync(l => withoutQuestions.Contains(l.FormId!.Value), cancellationToken))
        {
            return true;
        }
        // Leads stored before their form was synced have no form row; those whose form is known now are covered.
        var unlinked = await db.Leads
            .Where(l => l.FormId == null)
            .Select(l => new { l.WorkspaceId, l.MetaFormId })
            .Distinct()
            .Take(10_000)
            .ToListAsync(cancellationToken);
        return unlinked.Any(u => u.WorkspaceId == workspaceId && (u.MetaFormId is null || !withQuestions.Contains(u.MetaFormId)));
    }

    private static async Task AddKeysFromAnswersAsync(
        LeadwireDbContext db, LeadSet leads, List<long> withoutQuestions, List<string> withQuestions, List<string> keys, HashSet<string> seen,
        CancellationToken cancellationToken)
    {
        Expression<Func<Lead, bool>> uncovered = l =>
            (l.FormId != null && withoutQuestions.Contains(l.FormId.Value))
            || (l.FormId == null && (l.MetaFormId == null || !withQuestions.Contains(l.MetaFormId)));
        long after = 0;
        while (keys.Count < MaxCustomColumns)
        {
            var batch = await leads.NextAsync(db, after, LeadExport.BatchSize, l => new { l.Id, l.AnswersJson }, r => r.Id, cancellationToken, uncovered);
            if (batch.End)
            {
                return;
            }
            foreach (var row in batch.Rows)
            {
                AddAnswerKeys(row.AnswersJson, keys, seen);
            }
            after = batch.ReachedId;
        }
    }

    private static void AddAnswerKeys(string answersJson, List<string> keys, HashSet<string> seen)
    {
        try
        {
            using var answers = JsonDocument.Parse(answersJson);
            if (answers.RootElement.ValueKind != JsonValueKind.Object)
            {
                return;
            }
            foreach (var answer in answers.RootElement.EnumerateObject())
            {
                if (!StandardKeys.Contains(answer.Name) && seen.Add(answer.Name))
                {
                    keys.Add(answer.Name);
                }
            }
        }
        catch (JsonException)
        {
            // Answers are written by Leadwire itself; a broken one only loses its own columns.
        }
    }
}
