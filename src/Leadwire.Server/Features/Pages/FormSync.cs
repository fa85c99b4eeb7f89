using Leadwire.Data;
using Leadwire.Meta;
using Microsoft.EntityFrameworkCore;

namespace Leadwire.Features.Pages;

/// <summary>Reads every form of a page (<c>/{page-id}/leadgen_forms</c>, all pages of it) and upserts them with their questions.</summary>
public sealed class FormSync(GraphClient graph, TimeProvider time)
{
    public async Task<IReadOnlyList<GraphForm>> FetchAsync(string metaPageId, string accessToken, CancellationToken cancellationToken)
    {
        var forms = new List<GraphForm>();
        string? after = null;
        do
        {
            var page = await graph.GetPageFormsAsync(metaPageId, accessToken, after, cancellationToken);
            forms.AddRange(page.Data);
            after = page.After;
        }
        while (after is not null);
        return forms;
    }

    /// <summary>Adds or updates the page's forms in the context (the caller saves).</summary>
    public async Task ApplyAsync(LeadwireDbContext db, Page page, IReadOnlyList<GraphForm> forms, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var ids = forms.Select(f => f.Id).ToList();
        var existing = await db.Forms.Where(f => ids.Contains(f.MetaFormId)).ToDictionaryAsync(f => f.MetaFormId, cancellationToken);
        foreach (var form in forms)
        {
            if (!existing.TryGetValue(form.Id, out var row))
            {
                row = new LeadForm { MetaFormId = form.Id, Name = form.Name, Status = form.Status, QuestionsJson = form.QuestionsJson };
                if (page.Id == 0)
                {
                    page.Forms.Add(row);
                }
                else
                {
                    row.PageId = page.Id;
                    db.Forms.Add(row);
                }
            }
            else if (row.PageId != page.Id)
            {
                // A form belongs to exactly one page on Meta; follow Meta if it says otherwise.
                row.PageId = page.Id;
            }
            row.Name = form.Name;
            row.Status = form.Status;
            row.Locale = form.Locale;
            row.QuestionsJson = form.QuestionsJson;
            row.MetaCreatedTime = form.CreatedTime;
            row.SyncedAt = now;
        }
        page.FormsSyncedAt = now;
    }

    /// <summary>Leads stored before their form was known get linked to it (call after the forms are saved).</summary>
    public static Task<int> LinkLeadsAsync(LeadwireDbContext db, IReadOnlyList<GraphForm> forms, CancellationToken cancellationToken)
    {
        var ids = forms.Select(f => f.Id).ToList();
        return db.Leads
            .Where(l => l.FormId == null && l.MetaFormId != null && ids.Contains(l.MetaFormId))
            .ExecuteUpdateAsync(s => s.SetProperty(
                l => l.FormId,
                l => db.Forms.Where(f => f.MetaFormId == l.MetaFormId).Select(f => (long?)f.Id).FirstOrDefault()), cancellationToken);
    }
}
