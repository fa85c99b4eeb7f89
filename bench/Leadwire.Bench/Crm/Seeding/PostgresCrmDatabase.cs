using System.Data.Common;
using System.Diagnostics;
using Leadwire.Bench.Storage;
using Npgsql;
using NpgsqlTypes;

namespace Leadwire.Bench.Crm.Seeding;

/// <summary>
/// Seeds the server's PostgreSQL database with binary COPY (one stream per table, all four fed row by row from the
/// generator), foreign-key triggers off for the seeding sessions (<c>session_replication_role = replica</c>) and the
/// tables' secondary indexes dropped during the load and created again from their own definitions afterwards.
/// Then VACUUM ANALYZE: statistics, hint bits and the visibility map, as autovacuum would have left a table that
/// grew over a year; without it the first reads of freshly copied rows also write every page once.
/// </summary>
public sealed class PostgresCrmDatabase(BenchDatabase database) : CrmDatabase(database)
{
    private static readonly string[] LoadedTables = ["leads", "lead_events", "lead_tags", "contacts"];

    private NpgsqlDataSource? _readers;

    protected override object Bool(bool value) => value;

    protected override async Task<DbConnection> OpenAsync(bool write, CancellationToken cancellationToken)
    {
        if (write)
        {
            var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(ConnectionString) { Pooling = false, CommandTimeout = 0 }.ConnectionString);
            await connection.OpenAsync(cancellationToken);
            return connection;
        }
        _readers ??= NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(ConnectionString) { MaxPoolSize = 4, CommandTimeout = 600 }.ConnectionString);
        return await _readers.OpenConnectionAsync(cancellationToken);
    }

    protected override async Task AfterExplicitIdsAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        foreach (var table in new[] { "pages", "forms" })
        {
            await ExecuteAsync((NpgsqlConnection)connection, SetSequence(table), cancellationToken);
        }
    }

    public override async Task<(double LeadsSeconds, double IndexesSeconds)> LoadLeadsAsync(
        CrmLeadGenerator generator, Action<string> progress, CancellationToken cancellationToken)
    {
        await using var control = (NpgsqlConnection)await OpenAsync(true, cancellationToken);
        var indexes = await DropIndexesAsync(control, cancellationToken);

        var clock = Stopwatch.StartNew();
        await using (var leadsConnection = await OpenSeedingAsync(cancellationToken))
        await using (var eventsConnection = await OpenSeedingAsync(cancellationToken))
        await using (var tagsConnection = await OpenSeedingAsync(cancellationToken))
        await using (var contactsConnection = await OpenSeedingAsync(cancellationToken))
        {
            await using var leads = await leadsConnection.BeginBinaryImportAsync(
                $"COPY leads ({string.Join(", ", CrmColumn.Leads.Select(c => c.Name))}) FROM STDIN (FORMAT BINARY)", cancellationToken);
            await using var events = await eventsConnection.BeginBinaryImportAsync(
                "COPY lead_events (lead_id, workspace_id, type, actor_user_id, actor, at, data_json) FROM STDIN (FORMAT BINARY)", cancellationToken);
            await using var tags = await tagsConnection.BeginBinaryImportAsync(
                "COPY lead_tags (lead_id, tag, workspace_id) FROM STDIN (FORMAT BINARY)", cancellationToken);
            await using var contacts = await contactsConnection.BeginBinaryImportAsync(
                "COPY contacts (id, workspace_id, email_normalized, phone_normalized, name, created_at, updated_at) FROM STDIN (FORMAT BINARY)", cancellationToken);

            foreach (var lead in generator.Generate())
            {
                if (lead.ContactIsNew)
                {
                    await contacts.StartRowAsync(cancellationToken);
                    await contacts.WriteAsync(lead.ContactId, NpgsqlDbType.Bigint, cancellationToken);
                    await contacts.WriteAsync(lead.WorkspaceId, NpgsqlDbType.Bigint, cancellationToken);
                    await WriteAsync(contacts, CrmColumnKind.Text, lead.EmailNormalized, cancellationToken);
                    await WriteAsync(contacts, CrmColumnKind.Text, lead.PhoneNormalized, cancellationToken);
                    await WriteAsync(contacts, CrmColumnKind.Text, lead.ContactName, cancellationToken);
                    await contacts.WriteAsync(lead.StoredAt, NpgsqlDbType.TimestampTz, cancellationToken);
                    await contacts.WriteAsync(lead.StoredAt, NpgsqlDbType.TimestampTz, cancellationToken);
                }
                await leads.StartRowAsync(cancellationToken);
                foreach (var column in CrmColumn.Leads)
                {
                    await WriteAsync(leads, column.Kind, column.Value(lead), cancellationToken);
                }
                foreach (var e in lead.Events)
                {
                    await events.StartRowAsync(cancellationToken);
                    await events.WriteAsync(lead.Id, NpgsqlDbType.Bigint, cancellationToken);
                    await events.WriteAsync(lead.WorkspaceId, NpgsqlDbType.Bigint, cancellationToken);
                    await events.WriteAsync(e.Type, NpgsqlDbType.Text, cancellationToken);
                    await WriteAsync(events, CrmColumnKind.Id, e.ActorUserId, cancellationToken);
                    await events.WriteAsync(e.Actor, NpgsqlDbType.Text, cancellationToken);
                    await events.WriteAsync(e.At, NpgsqlDbType.TimestampTz, cancellationToken);
                    await events.WriteAsync(e.DataJson, NpgsqlDbType.Text, cancellationToken);
                }
                foreach (var tag in lead.Tags)
                {
                    await tags.StartRowAsync(cancellationToken);
                    await tags.WriteAsync(lead.Id, NpgsqlDbType.Bigint, cancellationToken);
                    await tags.WriteAsync(tag, NpgsqlDbType.Text, cancellationToken);
                    await tags.WriteAsync(lead.WorkspaceId, NpgsqlDbType.Bigint, cancellationToken);
                }
                if (lead.Id % 100_000 == 0)
                {
                    progress($"  {lead.Id:N0} of {generator.Count:N0} leads written ({lead.Id / clock.Elapsed.TotalSeconds:N0}/s)");
                }
            }
            await leads.CompleteAsync(cancellationToken);
            await events.CompleteAsync(cancellationToken);
            await tags.CompleteAsync(cancellationToken);
            await contacts.CompleteAsync(cancellationToken);
        }
        var leadsSeconds = clock.Elapsed.TotalSeconds;

        progress($"  creating {indexes.Count} indexes again");
        clock.Restart();
        await ExecuteAsync(control, "SET maintenance_work_mem = '512MB'", cancellationToken);
        foreach (var sql in indexes)
        {
            await ExecuteAsync(control, sql, cancellationToken);
        }
        foreach (var table in new[] { "leads", "lead_events", "contacts" })
        {
            await ExecuteAsync(control, SetSequence(table), cancellationToken);
        }
        return (leadsSeconds, clock.Elapsed.TotalSeconds);
    }

    public override async Task AnalyzeAsync(CancellationToken cancellationToken)
    {
        await using var connection = (NpgsqlConnection)await OpenAsync(true, cancellationToken);
        await ExecuteAsync(connection, "VACUUM (ANALYZE)", cancellationToken);
    }

    public override async Task<long> SizeInBytesAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(false, cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT pg_database_size(current_database())";
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    public override async ValueTask DisposeAsync()
    {
        if (_readers is not null)
        {
            await _readers.DisposeAsync();
        }
        await base.DisposeAsync();
    }

    /// <summary>A seeding session: no foreign-key triggers (the bench writes consistent ids), no commit wait.</summary>
    private async Task<NpgsqlConnection> OpenSeedingAsync(CancellationToken cancellationToken)
    {
        var connection = (NpgsqlConnection)await OpenAsync(true, cancellationToken);
        await ExecuteAsync(connection, "SET session_replication_role = replica; SET synchronous_commit = off", cancellationToken);
        return connection;
    }

    /// <summary>Drops the secondary indexes of the loaded tables (not those behind constraints) and returns their definitions.</summary>
    private static async Task<List<string>> DropIndexesAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var indexes = new List<(string Name, string Sql)>();
        await using (var command = connection.CreateCommand())
        {
            command.CommandText =
                "SELECT i.relname, pg_get_indexdef(x.indexrelid) FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid " +
                "JOIN pg_class t ON t.oid = x.indrelid WHERE t.relname = ANY(@tables) AND t.relnamespace = 'public'::regnamespace " +
                "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)";
            command.Parameters.AddWithValue("tables", LoadedTables);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                indexes.Add((reader.GetString(0), reader.GetString(1)));
            }
        }
        foreach (var (name, _) in indexes)
        {
            await ExecuteAsync(connection, $"DROP INDEX \"{name}\"", cancellationToken);
        }
        return [.. indexes.Select(i => i.Sql)];
    }

    private static string SetSequence(string table) =>
        $"SELECT setval(pg_get_serial_sequence('{table}', 'id'), GREATEST((SELECT max(id) FROM {table}), 1), (SELECT count(*) > 0 FROM {table}))";

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static Task WriteAsync(NpgsqlBinaryImporter importer, CrmColumnKind kind, object? value, CancellationToken cancellationToken)
    {
        if (value is null)
        {
            return importer.WriteNullAsync(cancellationToken);
        }
        return kind switch
        {
            CrmColumnKind.Id => importer.WriteAsync((long)value, NpgsqlDbType.Bigint, cancellationToken),
            CrmColumnKind.Number => importer.WriteAsync((int)value, NpgsqlDbType.Integer, cancellationToken),
            CrmColumnKind.Bool => importer.WriteAsync((bool)value, NpgsqlDbType.Boolean, cancellationToken),
            CrmColumnKind.Time => importer.WriteAsync((DateTime)value, NpgsqlDbType.TimestampTz, cancellationToken),
            _ => importer.WriteAsync((string)value, NpgsqlDbType.Text, cancellationToken),
        };
    }
}
