using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Leadwire.Data;
using Leadwire.Infrastructure;
using Leadwire.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Leadwire.Tests.Integration;

/// <summary>
/// A host with the bootstrap owner's workspace, one page and one form with custom questions, and leads written
/// straight into its database (no Meta needed to export or bulk-change leads), for the export and bulk tests.
/// </summary>
internal sealed class BulkTestData : IAsyncDisposable
{
    public const string MetaPageId = "100000000000777";
    public const string MetaFormId = "200000000000777";
    public const string FormName = "Test drive — Zoë's form";

    private static int _sequence;

    private BulkTestData(TestDatabase database, LeadwireHost host, string exportDirectory)
    {
        Database = database;
        Host = host;
        ExportDirectory = exportDirectory;
    }

    public TestDatabase Database { get; }
    public LeadwireHost Host { get; }
    public HttpClient Api => Host.Api;
    public string ExportDirectory { get; }
    public long WorkspaceId { get; private set; }
    public long OwnerUserId { get; private set; }
    public long PageId { get; private set; }
    public long FormId { get; private set; }

    /// <summary>The server's clock (its TimeProvider), for rows the tests write themselves.</summary>
    public DateTime Now => Host.Services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime;

    public static async Task<BulkTestData> StartAsync(DatabaseProvider provider, Action<Dictionary<string, string?>>? configure = null)
    {
        var exportDirectory = Path.Combine(Path.GetTempPath(), "leadwire-tests", "exports-" + Guid.NewGuid().ToString("N"));
        var database = await TestDatabase.CreateAsync(provider);
        var host = await LeadwireHost.StartAsync(database, null, settings =>
        {
            settings["Leadwire:Bulk:ExportDirectory"] = exportDirectory;
            configure?.Invoke(settings);
        });
        var data = new BulkTestData(database, host, exportDirectory);
        await data.SeedPageAsync();
        return data;
    }

    private async Task SeedPageAsync()
    {
        await WriteAsync(async db =>
        {
            var owner = await db.Memberships.OrderBy(m => m.WorkspaceId).FirstAsync(m => m.Role == WorkspaceRole.Owner);
            WorkspaceId = owner.WorkspaceId;
            OwnerUserId = owner.UserId;
            var now = Now;
            var page = new Page
            {
                WorkspaceId = WorkspaceId, MetaPageId = MetaPageId, Name = "Dealer Page", AccessTokenProtected = "not-a-token",
                CreatedAt = now, UpdatedAt = now, TokenUpdatedAt = now,
            };
            db.Pages.Add(page);
            await db.SaveChangesAsync();
            var form = new LeadForm
            {
                PageId = page.Id, MetaFormId = MetaFormId, Name = FormName, Status = "ACTIVE", SyncedAt = now,
                QuestionsJson = """
                    [{"key":"full_name","label":"Full name","type":"FULL_NAME"},
                     {"key":"email","label":"Email","type":"EMAIL"},
                     {"key":"phone_number","label":"Phone","type":"PHONE"},
                     {"key":"preferred_model","label":"Which model?","type":"CUSTOM"},
                     {"key":"budget","label":"Budget","type":"CUSTOM"}]
                    """,
            };
            db.Forms.Add(form);
            await db.SaveChangesAsync();
            PageId = page.Id;
            FormId = form.Id;
        });
    }

    /// <summary>One lead of the form, as <paramref name="configure"/> makes it; returns its id.</summary>
    public async Task<long> AddLeadAsync(Action<Lead>? configure = null, params string[] tags)
    {
        var n = Interlocked.Increment(ref _sequence);
        var lead = new Lead
        {
            MetaLeadId = "9" + n.ToString("D14", CultureInfo.InvariantCulture) + Guid.NewGuid().ToString("N")[..6],
            WorkspaceId = WorkspaceId,
            PageId = PageId,
            FormId = FormId,
            MetaPageId = MetaPageId,
            MetaFormId = MetaFormId,
            CreatedTime = new DateTime(2026, 1, 1, 8, 0, 0, DateTimeKind.Utc).AddMinutes(n),
            AnswersJson = "{}",
            RawJson = "{}",
            StoredAt = Now,
        };
        configure?.Invoke(lead);
        await WriteAsync(async db =>
        {
            db.Leads.Add(lead);
            await db.SaveChangesAsync();
            foreach (var tag in tags)
            {
                db.LeadTags.Add(new LeadTag { LeadId = lead.Id, Tag = tag, WorkspaceId = lead.WorkspaceId });
            }
            await db.SaveChangesAsync();
        });
        return lead.Id;
    }

    /// <summary>
    /// <paramref name="count"/> new leads of the form in one INSERT … SELECT over a generated series: a hundred
    /// thousand take about a second, which keeps the 100k test about the bulk operation.
    /// </summary>
    public async Task SeedManyAsync(int count, string status = "New", long? assigneeUserId = null)
    {
        // Linked to a contact, as the intake leaves every lead: otherwise the intake's catch-up would work through
        // the same rows, one at a time, while the test measures a bulk operation on them.
        var contact = new Contact { WorkspaceId = WorkspaceId, Name = "Seeded", CreatedAt = Now, UpdatedAt = Now };
        await WriteAsync(async db =>
        {
            db.Contacts.Add(contact);
            await db.SaveChangesAsync();
        });
        var prefix = Guid.NewGuid().ToString("N")[..8];
        var created = new DateTime(2026, 2, 1, 0, 0, 0, DateTimeKind.Utc);
        const string Columns =
            "meta_lead_id, page_id, form_id, meta_page_id, meta_form_id, is_organic, is_test, created_time, full_name, email, "
            + "answers_json, raw_json, source, stored_at, workspace_id, status, score, assignee_user_id, contact_id";
        var sql = Database.Provider == DatabaseProvider.Sqlite
            ? "INSERT INTO leads (" + Columns + ") WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {0}) "
                + "SELECT {1} || '-' || i, {2}, {3}, {4}, {5}, 0, 0, {6}, 'Lead ' || i, 'lead' || i || '@example.com', "
                + "'{{\"preferred_model\":\"SUV\"}}', '{{}}', 'Webhook', {6}, {7}, {8}, 0, ASSIGNEE, {9} FROM n"
            : "INSERT INTO leads (" + Columns + ") "
                + "SELECT {1} || '-' || i, {2}, {3}, {4}, {5}, false, false, {6}, 'Lead ' || i, 'lead' || i || '@example.com', "
                + "'{{\"preferred_model\":\"SUV\"}}', '{{}}', 'Webhook', {6}, {7}, {8}, 0, ASSIGNEE, {9} FROM generate_series(1, {0}) AS g(i)";
        // Braces in the SQL are doubled: ExecuteSqlRaw reads {n} as its parameters. NULL as text rather than a parameter: a parameter of unknown type is refused by both providers.
        sql = sql.Replace("ASSIGNEE", assigneeUserId is { } assignee ? assignee.ToString(CultureInfo.InvariantCulture) : "NULL", StringComparison.Ordinal);
        await WriteAsync(db => db.Database.ExecuteSqlRawAsync(
            sql, count, "seed-" + prefix, PageId, FormId, MetaPageId, MetaFormId, created, WorkspaceId, status, contact.Id));
    }

    public async Task WriteAsync(Func<LeadwireDbContext, Task> write)
    {
        await using var scope = Host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<LeadwireDbContext>();
        var gate = scope.ServiceProvider.GetRequiredService<WriteGate>();
        using (await gate.EnterAsync(CancellationToken.None))
        {
            await write(db);
        }
    }

    public Task<T> QueryAsync<T>(Func<LeadwireDbContext, Task<T>> query) => Host.QueryAsync(query);

    /// <summary>POSTs a bulk operation and returns the answer's status and body.</summary>
    public static async Task<(System.Net.HttpStatusCode Status, JsonElement Body)> PostBulkAsync(HttpClient client, object request)
    {
        using var response = await client.PostAsJsonAsync("/api/v1/bulk-operations", request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    /// <summary>Polls the operation until it has finished (succeeded or failed), returning every state seen on the way.</summary>
    public static async Task<List<JsonElement>> WaitForOperationAsync(HttpClient client, long id, TimeSpan timeout)
    {
        var seen = new List<JsonElement>();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            var state = await client.GetFromJsonAsync<JsonElement>($"/api/v1/bulk-operations/{id}");
            seen.Add(state);
            if (state.GetProperty("status").GetString() is "succeeded" or "failed")
            {
                return seen;
            }
            if (clock.Elapsed > timeout)
            {
                throw new TimeoutException($"Bulk operation {id} did not finish within {timeout.TotalSeconds:0}s; last state: {state}");
            }
            await Task.Delay(100);
        }
    }

    /// <summary>RFC 4180 CSV into rows of fields (quotes, doubled quotes, CRLF); the byte order mark is dropped.</summary>
    public static List<string[]> ParseCsv(string text)
    {
        var rows = new List<string[]>();
        var fields = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        var i = text.Length > 0 && text[0] == '\uFEFF' ? 1 : 0;
        for (; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    field.Append(c);
                }
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == ',')
            {
                fields.Add(field.ToString());
                field.Clear();
            }
            else if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
            {
                fields.Add(field.ToString());
                field.Clear();
                rows.Add([.. fields]);
                fields.Clear();
                i++;
            }
            else
            {
                field.Append(c);
            }
        }
        if (field.Length > 0 || fields.Count > 0)
        {
            fields.Add(field.ToString());
            rows.Add([.. fields]);
        }
        return rows;
    }

    /// <summary>CSV rows as dictionaries keyed by the header.</summary>
    public static List<Dictionary<string, string>> CsvRecords(string text)
    {
        var rows = ParseCsv(text);
        var header = rows[0];
        return [.. rows.Skip(1).Select(r => header.Select((name, i) => (name, value: r[i])).ToDictionary(p => p.name, p => p.value))];
    }

    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        await Database.DisposeAsync();
        try
        {
            Directory.Delete(ExportDirectory, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
        catch (IOException)
        {
        }
    }
}
