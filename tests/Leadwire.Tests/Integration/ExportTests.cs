using System.IO.Compression;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Leadwire.Data;
using Leadwire.Features.Export;
using Leadwire.Infrastructure;
using Leadwire.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Leadwire.Tests.Integration;

/// <summary>C8: GET /api/v1/leads/export in CSV, JSON lines and XLSX — columns, custom answers, guards, roles.</summary>
public sealed class ExportTests
{
    private static readonly XNamespace Sheet = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task ExportCsv_LeadsWithCustomAnswers_EveryColumnNonAsciiKeptFormulasNeutralised(DatabaseProvider provider)
    {
        await using var w = await BulkTestData.StartAsync(provider);
        var (zoe, sukru, erased, _) = await SeedMixAsync(w);

        using var response = await w.Api.GetAsync("/api/v1/leads/export?format=csv");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Matches(FileNameRegex("csv"), response.Content.Headers.ContentDisposition?.FileName?.Trim('"') ?? "");
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal(Encoding.UTF8.Preamble.ToArray(), bytes[..3]);
        var text = Encoding.UTF8.GetString(bytes);
        var header = BulkTestData.ParseCsv(text)[0];
        Assert.Equal(
            ["id", "meta_lead_id", "created_time", "status", "status_reason", "assignee_email", "score", "tags", "page_id", "form_id", "form_name",
             "campaign_id", "campaign_name", "adset_id", "adset_name", "ad_id", "ad_name", "platform", "is_organic", "is_test",
             "full_name", "first_name", "last_name", "email", "phone", "street_address", "city", "state", "zip", "country", "company_name",
             "job_title", "contacted_at", "converted_at", "preferred_model", "budget", "deleted_at", "erased_at"],
            header);
        var rows = BulkTestData.CsvRecords(text).ToDictionary(r => long.Parse(r["id"], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(4, rows.Count);

        var z = rows[zoe];
        Assert.Equal("Zoë Ünal", z["full_name"]);
        Assert.Equal("İzmir", z["city"]);
        Assert.Equal("SUV", z["preferred_model"]);
        Assert.Equal("'=HYPERLINK(\"http://evil.example\",\"click\")", z["budget"]);
        Assert.Equal("'+905551112233", z["phone"]);
        Assert.Equal("hot, vip", z["tags"]);
        Assert.Equal("contacted", z["status"]);
        Assert.Equal(await w.QueryAsync(db => db.Users.Where(u => u.Id == w.OwnerUserId).Select(u => u.Email).SingleAsync()), z["assignee_email"]);
        Assert.Equal(BulkTestData.FormName, z["form_name"]);
        Assert.Equal(BulkTestData.MetaFormId, z["form_id"]);
        Assert.Equal(BulkTestData.MetaPageId, z["page_id"]);
        Assert.Equal("Camp, \"Spring\"", z["campaign_name"]);
        Assert.Equal("2026-01-05T10:30:00Z", z["contacted_at"]);
        Assert.Equal("87", z["score"]);
        Assert.Equal("false", z["is_test"]);

        var s = rows[sukru];
        Assert.Equal("Şükrü Çağlar", s["full_name"]);
        Assert.Equal("'@SUM(A1:A9)", s["preferred_model"]);
        Assert.Equal("'-42", s["budget"]);

        var e = rows[erased];
        Assert.All(["full_name", "first_name", "last_name", "email", "phone", "city", "preferred_model", "budget"], column => Assert.Equal("", e[column]));
        Assert.NotEqual("", e["erased_at"]);
        Assert.Equal("qualified", e["status"]);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task ExportJsonLines_WithFilters_OnlyMatchingLeadsWithExactValues(DatabaseProvider provider)
    {
        await using var w = await BulkTestData.StartAsync(provider);
        var (zoe, sukru, _, test) = await SeedMixAsync(w);

        using var response = await w.Api.GetAsync("/api/v1/leads/export?format=jsonl&is_test=false&status=contacted,new");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/x-ndjson", response.Content.Headers.ContentType?.MediaType);
        Assert.Matches(FileNameRegex("jsonl"), response.Content.Headers.ContentDisposition?.FileName?.Trim('"') ?? "");
        var lines = (await response.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var leads = lines.Select(l => JsonDocument.Parse(l).RootElement).ToDictionary(l => long.Parse(l.GetProperty("id").GetString()!, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal([zoe, sukru], leads.Keys.Order());
        Assert.DoesNotContain(test, leads.Keys);
        Assert.Equal("Zoë Ünal", leads[zoe].GetProperty("full_name").GetString());
        // JSON lines are read by programs: the exact value, no spreadsheet guard.
        Assert.Equal("=HYPERLINK(\"http://evil.example\",\"click\")", leads[zoe].GetProperty("budget").GetString());
        Assert.Equal("@SUM(A1:A9)", leads[sukru].GetProperty("preferred_model").GetString());
        Assert.Equal(JsonValueKind.Null, leads[sukru].GetProperty("assignee_email").ValueKind);

        // The export is in the audit log, with what was asked and how much left.
        var entry = await w.QueryAsync(db => db.AuditLog.Where(a => a.Action == "leads.exported").SingleAsync());
        using var details = JsonDocument.Parse(entry.Details!);
        Assert.Equal("jsonl", details.RootElement.GetProperty("format").GetString());
        Assert.Equal(2, details.RootElement.GetProperty("row_count").GetInt32());
        Assert.True(details.RootElement.GetProperty("completed").GetBoolean());
        Assert.Equal(["contacted", "new"], details.RootElement.GetProperty("filter").GetProperty("statuses").EnumerateArray().Select(x => x.GetString()).Order());
        Assert.Equal(w.OwnerUserId, entry.ActorUserId);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task ExportXlsx_Leads_WorkbookWithNeutralisedCellsAndNonAsciiNames(DatabaseProvider provider)
    {
        await using var w = await BulkTestData.StartAsync(provider);
        var (zoe, sukru, erased, _) = await SeedMixAsync(w);

        using var response = await w.Api.GetAsync($"/api/v1/leads/export?format=xlsx&page_id={BulkTestData.MetaPageId}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Matches(FileNameRegex("xlsx"), response.Content.Headers.ContentDisposition?.FileName?.Trim('"') ?? "");
        using var package = new ZipArchive(new MemoryStream(await response.Content.ReadAsByteArrayAsync()), ZipArchiveMode.Read);
        var rows = XlsxRecords(package);
        Assert.Equal(4, rows.Count);
        var byId = rows.ToDictionary(r => r["id"]);
        Assert.Equal("Zoë Ünal", byId[zoe.ToString(System.Globalization.CultureInfo.InvariantCulture)]["full_name"]);
        Assert.Equal("'=HYPERLINK(\"http://evil.example\",\"click\")", byId[zoe.ToString(System.Globalization.CultureInfo.InvariantCulture)]["budget"]);
        Assert.Equal("Şükrü Çağlar", byId[sukru.ToString(System.Globalization.CultureInfo.InvariantCulture)]["full_name"]);
        Assert.Equal("'@SUM(A1:A9)", byId[sukru.ToString(System.Globalization.CultureInfo.InvariantCulture)]["preferred_model"]);
        Assert.False(byId[erased.ToString(System.Globalization.CultureInfo.InvariantCulture)].ContainsKey("full_name"));
        Assert.False(byId[erased.ToString(System.Globalization.CultureInfo.InvariantCulture)].ContainsKey("email"));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Export_ByAgent_Forbidden(DatabaseProvider provider)
    {
        await using var w = await BulkTestData.StartAsync(provider);
        var (agentId, agent) = await TestAccounts.CreateMemberAsync(w.Host, w.WorkspaceId, WorkspaceRole.Agent, "agent@example.com");
        using var _ = agent;
        await w.AddLeadAsync(l => { l.FullName = "Mine"; l.AssigneeUserId = agentId; });

        using var response = await agent.GetAsync("/api/v1/leads/export?format=csv");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Agents cannot export", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(0, await w.QueryAsync(db => db.AuditLog.CountAsync(a => a.Action == "leads.exported")));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Export_BadFormatOrFilter_BadRequestWithFieldNames(DatabaseProvider provider)
    {
        await using var w = await BulkTestData.StartAsync(provider);

        using var response = await w.Api.GetAsync("/api/v1/leads/export?format=pdf&status=maybe");

        // Malformed query parameters are a 400, as on the lead list whose filters these are.
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.True(errors.TryGetProperty("format", out _));
        Assert.True(errors.TryGetProperty("status", out _));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task ExportCsv_AnotherWorkspacesLeads_NeverIncluded(DatabaseProvider provider)
    {
        await using var w = await BulkTestData.StartAsync(provider);
        await SeedMixAsync(w);
        var other = await TestAccounts.CreateWorkspaceAsync(w.Host, "Other agency client");
        var (_, otherOwner) = await TestAccounts.CreateMemberAsync(w.Host, other, WorkspaceRole.Owner, "owner@other.example");
        using var _ = otherOwner;

        using var response = await otherOwner.GetAsync("/api/v1/leads/export?format=csv");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var rows = BulkTestData.ParseCsv(await response.Content.ReadAsStringAsync());
        Assert.Single(rows); // the header only
        Assert.DoesNotContain("preferred_model", rows[0]);
    }

    /// <summary>Zoë (contacted, tagged, formula in a custom answer), Şükrü (new), an erased lead, a test lead.</summary>
    private static async Task<(long Zoe, long Sukru, long Erased, long Test)> SeedMixAsync(BulkTestData w)
    {
        var zoe = await w.AddLeadAsync(l =>
        {
            l.FullName = "Zoë Ünal";
            l.Email = "zoe@example.com";
            l.Phone = "+905551112233";
            l.City = "İzmir";
            l.Status = LeadStatus.Contacted;
            l.ContactedAt = new DateTime(2026, 1, 5, 10, 30, 0, DateTimeKind.Utc);
            l.AssigneeUserId = w.OwnerUserId;
            l.Score = 87;
            l.CampaignName = "Camp, \"Spring\"";
            l.AnswersJson = """{"full_name":"Zoë Ünal","email":"zoe@example.com","preferred_model":"SUV","budget":"=HYPERLINK(\"http://evil.example\",\"click\")"}""";
        }, "vip", "hot");
        var sukru = await w.AddLeadAsync(l =>
        {
            l.FullName = "Şükrü Çağlar";
            l.Email = "sukru@example.com";
            l.AnswersJson = """{"full_name":"Şükrü Çağlar","preferred_model":"@SUM(A1:A9)","budget":"-42"}""";
        });
        // Erased, with personal data still in the row: the export must not be the place where it resurfaces.
        var erased = await w.AddLeadAsync(l =>
        {
            l.FullName = "Gone Person";
            l.Email = "gone@example.com";
            l.Phone = "+15555550100";
            l.City = "Austin";
            l.Status = LeadStatus.Qualified;
            l.ErasedAt = new DateTime(2026, 1, 9, 0, 0, 0, DateTimeKind.Utc);
            l.AnswersJson = """{"preferred_model":"Sedan","budget":"9000"}""";
        });
        var test = await w.AddLeadAsync(l =>
        {
            l.FullName = "<test lead: dummy data for full_name>";
            l.IsTest = true;
        });
        return (zoe, sukru, erased, test);
    }

    [Fact]
    public async Task SqliteRowReader_EveryKindOfLead_ReadsExactlyWhatTheProjectionReads()
    {
        await using var w = await BulkTestData.StartAsync(DatabaseProvider.Sqlite);
        var (zoe, sukru, erased, test) = await SeedMixAsync(w);
        var full = await w.AddLeadAsync(l =>
        {
            l.FirstName = "Ada";
            l.LastName = "Lovelace";
            l.StreetAddress = "1 Main St";
            l.State = "TX";
            l.Zip = "78701";
            l.Country = "US";
            l.CompanyName = "Engines \"Ltd\"\n";
            l.JobTitle = "Analyst";
            l.Status = LeadStatus.Converted;
            l.StatusReason = "Signed";
            l.ConvertedAt = new DateTime(2026, 2, 1, 12, 0, 0, 123, DateTimeKind.Utc).AddTicks(4567);
            l.DeletedAt = new DateTime(2026, 2, 2, 0, 0, 0, DateTimeKind.Utc);
            l.IsOrganic = true;
            l.Platform = "ig";
        });
        long[] ids = [zoe, sukru, erased, test, full, 999_999];

        var (projected, read) = await w.QueryAsync(async db =>
        {
            var projected = await db.Leads.AsNoTracking().Where(l => ids.Contains(l.Id)).OrderBy(l => l.Id).Select(ExportRow.Projection).ToListAsync();
            await using var session = SqliteExportRows.For(db).Open(db);
            var read = await session.ReadAsync(ids, CancellationToken.None);
            // A batch large enough to be split over both connections reads the same, in the same order.
            // Unknown ids on both sides put the leads into both halves.
            var many = Enumerable.Range(1, 300).Select(i => (long)i - 301).ToList();
            many.AddRange(await db.Leads.OrderBy(l => l.Id).Select(l => l.Id).ToListAsync());
            many.AddRange(Enumerable.Range(1, 300).Select(i => 5_000_000L + i));
            Assert.Equal(projected.Select(r => r.Id), (await session.ReadAsync(many, CancellationToken.None)).Select(r => r.Id).Where(ids.Contains));
            return (projected, read);
        });

        Assert.Equal(5, read.Count);
        Assert.Equal(projected.Count, read.Count);
        var properties = typeof(ExportRow).GetProperties();
        Assert.True(properties.Length >= 30);
        for (var i = 0; i < projected.Count; i++)
        {
            foreach (var property in properties)
            {
                var expected = property.GetValue(projected[i]);
                var actual = property.GetValue(read[i]);
                Assert.True(Equals(expected, actual), $"lead {projected[i].Id}, {property.Name}: projection {expected ?? "null"}, SQLite reader {actual ?? "null"}");
                if (expected is DateTime time)
                {
                    Assert.Equal(time.Kind, ((DateTime)actual!).Kind);
                }
            }
        }
    }

    private static Regex FileNameRegex(string extension) => new($@"^leads-\d{{8}}-\d{{4}}\.{extension}$");

    /// <summary>Sheet rows below the header as column name → text (empty cells are absent).</summary>
    private static List<Dictionary<string, string>> XlsxRecords(ZipArchive package)
    {
        using var stream = package.GetEntry("xl/worksheets/sheet1.xml")!.Open();
        var rows = XDocument.Load(stream).Root!.Element(Sheet + "sheetData")!.Elements(Sheet + "row").ToList();
        static string Column(string reference) => new([.. reference.TakeWhile(char.IsLetter)]);
        var header = rows[0].Elements(Sheet + "c").ToDictionary(c => Column((string)c.Attribute("r")!), c => (string)c.Element(Sheet + "is")!.Element(Sheet + "t")!);
        return [.. rows.Skip(1).Select(row => row.Elements(Sheet + "c").ToDictionary(
            c => header[Column((string)c.Attribute("r")!)],
            c => (string)c.Element(Sheet + "is")!.Element(Sheet + "t")!))];
    }
}
