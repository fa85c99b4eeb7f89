using Leadwire.Data;
using Leadwire.Infrastructure;
using Leadwire.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Leadwire.Tests.Integration;

public sealed class IntakePlanProbeTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Plans(DatabaseProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var host = await LeadwireHost.StartAsync(database, null);
        await using var scope = host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<LeadwireDbContext>();
        var emails = new List<string> { "a@b.c", "d@e.f" };
        var gate = scope.ServiceProvider.GetRequiredService<WriteGate>();
        var now = DateTime.UtcNow;
        using (await gate.EnterAsync(CancellationToken.None))
        {
            db.Workspaces.Add(new Workspace { Name = "w", CreatedAt = now, UpdatedAt = now });
            await db.SaveChangesAsync();
            db.Pages.Add(new Page { WorkspaceId = 1, MetaPageId = "p", Name = "p", AccessTokenProtected = "x", CreatedAt = now, UpdatedAt = now, TokenUpdatedAt = now });
            await db.SaveChangesAsync();
            for (var chunk = 0; chunk < 20; chunk++)
            {
                for (var i = 0; i < 1000; i++)
                {
                    var n = chunk * 1000 + i;
                    db.Leads.Add(new Lead { MetaLeadId = "m" + n, WorkspaceId = 1, PageId = 1, MetaPageId = "p", AnswersJson = "{}", RawJson = "{}", CreatedTime = now, StoredAt = now,
                        EmailNormalized = n % 3 == 0 ? null : $"user{n}@example.com", PhoneNormalized = $"{1000000 + n}", ContactId = n < 19000 ? n + 1 : null });
                }
                await db.SaveChangesAsync();
                db.ChangeTracker.Clear();
            }
        }
        if (provider == DatabaseProvider.Postgres)
        {
            await db.Database.ExecuteSqlRawAsync("ANALYZE leads");
        }
        long w = 1;
        var queries = new (string Name, IQueryable Query)[]
        {
            ("pending", db.Leads.AsNoTracking().Where(l => l.ContactId == null && l.ErasedAt == null).OrderBy(l => l.Id).Take(500).Select(l => l.Id)),
            ("byEmail", db.Leads.AsNoTracking().Where(l => l.WorkspaceId == w && l.ContactId != null && emails.Contains(l.EmailNormalized!))
                .Select(l => new { Key = l.EmailNormalized!, ContactId = l.ContactId!.Value }).Distinct()),
            ("any", db.Leads.Where(l => l.ContactId == null && l.ErasedAt == null).Select(l => l.Id).Take(1)),
        };
        {
            var connection = db.Database.GetDbConnection();
            await db.Database.OpenConnectionAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = (provider == DatabaseProvider.Sqlite ? "EXPLAIN QUERY PLAN " : "EXPLAIN ANALYZE ")
                + "UPDATE leads SET contact_id = v.column2 FROM (VALUES (19500, 7), (19600, 8), (19700, 9)) AS v WHERE leads.id = v.column1 AND leads.contact_id IS NULL";
            await using var reader = await command.ExecuteReaderAsync();
            output.WriteLine("--- update from values");
            while (await reader.ReadAsync())
            {
                output.WriteLine("  " + string.Join(" ", Enumerable.Range(0, reader.FieldCount).Select(i => reader.GetValue(i)?.ToString())));
            }
        }
        foreach (var (name, query) in queries)
        {
            var sql = query.ToQueryString();
            output.WriteLine($"--- {name}\n{sql}");
            var connection = db.Database.GetDbConnection();
            await db.Database.OpenConnectionAsync();
            await using var command = connection.CreateCommand();
            // Parameters are declared at the top of ToQueryString output; replace them crudely for the plan.
            var body = string.Join('\n', sql.Split('\n').Where(line => !line.StartsWith(".param", StringComparison.Ordinal) && !line.StartsWith("--", StringComparison.Ordinal)));
            body = body.Replace("@w", "1", StringComparison.Ordinal)
                .Replace("@emails1", "'a@b.c'", StringComparison.Ordinal).Replace("@emails2", "'d@e.f'", StringComparison.Ordinal)
                .Replace("@emails", "ARRAY['a@b.c','d@e.f']", StringComparison.Ordinal)
                .Replace("@p", "500", StringComparison.Ordinal).Replace("@__p_0", "500", StringComparison.Ordinal);
            command.CommandText = (provider == DatabaseProvider.Sqlite ? "EXPLAIN QUERY PLAN " : "EXPLAIN ANALYZE ") + body;
            try
            {
                await using var reader = await command.ExecuteReaderAsync();
                while (await reader.ReadAsync())
                {
                    output.WriteLine("  " + string.Join(" ", Enumerable.Range(0, reader.FieldCount).Select(i => reader.GetValue(i)?.ToString())));
                }
            }
            catch (Exception e)
            {
                output.WriteLine("  plan failed: " + e.Message + "\n" + command.CommandText);
            }
        }
    }
}
