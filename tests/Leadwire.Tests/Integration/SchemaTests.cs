using System.Data.Common;
using Leadwire.Data;
using Leadwire.Infrastructure;
using Leadwire.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.Extensions.Logging.Abstractions;

namespace Leadwire.Tests.Integration;

/// <summary>The hand-written migrations and the EF model must describe the same schema, on both providers.</summary>
public sealed class SchemaTests
{
    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Migrations_AppliedToEmptyDatabase_MatchTheModel(DatabaseProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var db = CreateContext(database);
        var applied = await new MigrationRunner(db, DatabaseDialect.For(provider), TimeProvider.System, NullLogger<MigrationRunner>.Instance)
            .MigrateAsync(CancellationToken.None);
        Assert.Equal(MigrationRunner.Scripts(provider).Count, applied);

        var actual = await ReadSchemaAsync(db, provider);
        var expected = ModelSchema(db.Model);

        Assert.Equal(expected.Keys.Order(), actual.Keys.Where(t => t != "schema_migrations").Order());
        foreach (var (table, columns) in expected)
        {
            Assert.Equal(columns.Columns, actual[table].Columns);
            foreach (var index in columns.UniqueIndexes)
            {
                Assert.Contains(index, actual[table].UniqueIndexes);
            }
            foreach (var index in columns.Indexes)
            {
                Assert.Contains(index, actual[table].Indexes.Concat(actual[table].UniqueIndexes));
            }
            foreach (var foreignKey in columns.ForeignKeys)
            {
                // A foreign key needs an index that starts with its columns (a composite one will do).
                Assert.Contains(actual[table].Indexes.Concat(actual[table].UniqueIndexes).Concat(actual[table].PrimaryKeys), i => (i + ",").StartsWith(foreignKey + ",", StringComparison.Ordinal));
            }
        }

        // A second run finds nothing to do.
        Assert.Equal(0, await new MigrationRunner(db, DatabaseDialect.For(provider), TimeProvider.System, NullLogger<MigrationRunner>.Instance)
            .MigrateAsync(CancellationToken.None));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Migrations_EveryEntity_RoundTripsThroughEf(DatabaseProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var db = CreateContext(database);
        await new MigrationRunner(db, DatabaseDialect.For(provider), TimeProvider.System, NullLogger<MigrationRunner>.Instance).MigrateAsync(CancellationToken.None);

        var now = new DateTime(2026, 11, 1, 10, 0, 0, DateTimeKind.Utc);
        var workspace = new Workspace { Name = "W", CreatedAt = now, UpdatedAt = now };
        db.Workspaces.Add(workspace);
        await db.SaveChangesAsync();
        var page = new Page { WorkspaceId = workspace.Id, MetaPageId = "1", Name = "P", AccessTokenProtected = "x", CreatedAt = now, UpdatedAt = now, TokenUpdatedAt = now };
        page.Forms.Add(new LeadForm { MetaFormId = "2", Name = "F", Status = "ACTIVE", QuestionsJson = "[]", SyncedAt = now });
        db.Pages.Add(page);
        await db.SaveChangesAsync();
        db.Leads.Add(new Lead
        {
            MetaLeadId = "3", WorkspaceId = workspace.Id, PageId = page.Id, FormId = page.Forms[0].Id, MetaPageId = "1", CreatedTime = now, AnswersJson = "{}",
            RawJson = "{}", StoredAt = now, FullName = "Zoë Ünal",
        });
        db.WebhookDeliveries.Add(new WebhookDelivery { ReceivedAt = now, SignatureStatus = "verified", Body = [1, 2, 3] });
        db.Jobs.Add(new Job { Kind = "k", Payload = "{}", RunAfter = now, MaxAttempts = 3, CreatedAt = now, UpdatedAt = now, DedupeKey = "d" });
        await db.SaveChangesAsync();
        db.ChangeTracker.Clear();

        var lead = await db.Leads.SingleAsync();
        Assert.Equal(now, lead.CreatedTime);
        Assert.Equal(DateTimeKind.Utc, lead.CreatedTime.Kind);
        Assert.Equal("Zoë Ünal", lead.FullName);
        Assert.Equal([1, 2, 3], (await db.WebhookDeliveries.SingleAsync()).Body);
        Assert.Equal(JobStatus.Pending, (await db.Jobs.SingleAsync()).Status);
    }

    internal static LeadwireDbContext CreateContext(TestDatabase database)
    {
        var options = new DbContextOptionsBuilder<LeadwireDbContext>();
        if (database.Provider == DatabaseProvider.Postgres)
        {
            options.UseNpgsql(database.ConnectionString);
        }
        else
        {
            options.UseSqlite(database.ConnectionString);
        }
        return new LeadwireDbContext(options.Options);
    }

    private sealed record TableSchema(List<string> Columns, List<string> UniqueIndexes, List<string> Indexes, List<string>? ForeignKeys = null)
    {
        public List<string> ForeignKeys { get; } = ForeignKeys ?? [];

        /// <summary>A composite primary key also serves a foreign key on its leading columns.</summary>
        public List<string> PrimaryKeys { get; init; } = [];
    }

    private static Dictionary<string, TableSchema> ModelSchema(IModel model)
    {
        var tables = new Dictionary<string, TableSchema>();
        foreach (var entity in model.GetEntityTypes())
        {
            var table = entity.GetTableName()!;
            var id = StoreObjectIdentifier.Table(table);
            var columns = entity.GetProperties()
                .Select(p => $"{p.GetColumnName(id)}:{Normalise(p.GetColumnType(id))}:{(p.IsColumnNullable(id) ? "null" : "not null")}")
                .Order().ToList();
            var unique = entity.GetIndexes().Where(i => i.IsUnique).Select(i => string.Join(",", i.Properties.Select(p => p.GetColumnName(id)))).ToList();
            var plain = entity.GetIndexes().Where(i => !i.IsUnique).Select(i => string.Join(",", i.Properties.Select(p => p.GetColumnName(id)))).ToList();
            var foreignKeys = entity.GetForeignKeys().Select(fk => string.Join(",", fk.Properties.Select(p => p.GetColumnName(id)))).Distinct().ToList();
            tables[table] = new TableSchema(columns, unique, plain, foreignKeys);
        }
        return tables;
    }

    private static async Task<Dictionary<string, TableSchema>> ReadSchemaAsync(LeadwireDbContext db, DatabaseProvider provider)
    {
        var connection = db.Database.GetDbConnection();
        await connection.OpenAsync();
        var tables = new Dictionary<string, TableSchema>();
        if (provider == DatabaseProvider.Sqlite)
        {
            foreach (var table in await ListAsync(connection, "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"))
            {
                var columns = (await RowsAsync(connection, $"SELECT name, type, \"notnull\", pk FROM pragma_table_info('{table}')"))
                    .Select(r => $"{r[0]}:{Normalise((string)r[1])}:{((long)r[2] == 1 || (long)r[3] == 1 ? "not null" : "null")}").Order().ToList();
                var unique = new List<string>();
                var plain = new List<string>();
                var primary = new List<string>();
                foreach (var index in await RowsAsync(connection, $"SELECT name, \"unique\" FROM pragma_index_list('{table}')"))
                {
                    var cols = string.Join(",", await ListAsync(connection, $"SELECT name FROM pragma_index_info('{index[0]}') ORDER BY seqno"));
                    ((long)index[1] == 1 ? unique : plain).Add(cols);
                }
                tables[table] = new TableSchema(columns, unique, plain);
            }
        }
        else
        {
            foreach (var table in await ListAsync(connection, "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'"))
            {
                var columns = (await RowsAsync(connection,
                        $"SELECT column_name, data_type, character_maximum_length, is_nullable FROM information_schema.columns WHERE table_schema = 'public' AND table_name = '{table}'"))
                    .Select(r => $"{r[0]}:{Normalise(r[2] is DBNull ? (string)r[1] : $"{r[1]}({r[2]})")}:{((string)r[3] == "YES" ? "null" : "not null")}").Order().ToList();
                var unique = new List<string>();
                var plain = new List<string>();
                var primary = new List<string>();
                foreach (var index in await RowsAsync(connection,
                             $"""
                              SELECT ix.indisunique, array_to_string(array_agg(a.attname ORDER BY k.ordinality), ','), ix.indisprimary
                              FROM pg_index ix
                              JOIN pg_class t ON t.oid = ix.indrelid
                              CROSS JOIN LATERAL unnest(ix.indkey) WITH ORDINALITY AS k(attnum, ordinality)
                              JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum
                              WHERE t.relname = '{table}'
                              GROUP BY ix.indexrelid, ix.indisunique, ix.indisprimary
                              """))
                {
                    if ((bool)index[2])
                    {
                        primary.Add((string)index[1]);
                        continue;
                    }
                    ((bool)index[0] ? unique : plain).Add((string)index[1]);
                }
                tables[table] = new TableSchema(columns, unique, plain) { PrimaryKeys = primary };
            }
        }
        return tables;
    }

    /// <summary>Spells types the way both sides agree on (information_schema vs EF store types).</summary>
    private static string Normalise(string? type) => (type ?? "").ToLowerInvariant() switch
    {
        "character varying" => "text",
        var t when t.StartsWith("character varying(", StringComparison.Ordinal) => t.Replace("character varying", "varchar", StringComparison.Ordinal),
        var t => t,
    };

    private static async Task<List<string>> ListAsync(DbConnection connection, string sql) =>
        (await RowsAsync(connection, sql)).Select(r => (string)r[0]).ToList();

    private static async Task<List<object[]>> RowsAsync(DbConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<object[]>();
        while (await reader.ReadAsync())
        {
            var row = new object[reader.FieldCount];
            reader.GetValues(row);
            rows.Add(row);
        }
        return rows;
    }
}
