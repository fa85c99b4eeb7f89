using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using Leadwire.Bench.Storage;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Leadwire.Bench.Crm.Seeding;

/// <summary>
/// Seeds the server's SQLite file in one transaction with prepared multi-row INSERTs (bound by position), durability off
/// (<c>synchronous=OFF</c>, rollback journal) for the seeding only, the tables' secondary indexes dropped during the
/// load and created again from their own SQL afterwards (sorting once is much faster than a million b-tree inserts
/// per index). The file goes back to WAL, as the server runs it, before the server starts again.
/// </summary>
public sealed class SqliteCrmDatabase(BenchDatabase database) : CrmDatabase(database)
{
    /// <summary>Parameters per INSERT statement, which sets its rows (leads: 42, events: 285).</summary>
    private const int ParametersPerInsert = 2000;

    private static readonly string[] LoadedTables = ["leads", "lead_events", "lead_tags", "contacts"];

    private string File => new SqliteConnectionStringBuilder(ConnectionString).DataSource;

    protected override object Bool(bool value) => value ? 1L : 0L;

    protected override async Task<DbConnection> OpenAsync(bool write, CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = File,
            Mode = write ? SqliteOpenMode.ReadWrite : SqliteOpenMode.ReadOnly,
            // Writers are not pooled: switching the journal mode needs every other connection closed.
            Pooling = !write,
            DefaultTimeout = 600,
        }.ToString());
        await connection.OpenAsync(cancellationToken);
        await using var pragma = connection.CreateCommand();
        pragma.CommandText = "PRAGMA busy_timeout = 30000";
        await pragma.ExecuteNonQueryAsync(cancellationToken);
        return connection;
    }

    public override async Task<(double LeadsSeconds, double IndexesSeconds)> LoadLeadsAsync(
        CrmLeadGenerator generator, Action<string> progress, CancellationToken cancellationToken)
    {
        // The journal mode changes only with no other connection open: the pooled readers go first.
        SqliteConnection.ClearAllPools();
        await using var connection = (SqliteConnection)await OpenAsync(true, cancellationToken);
        await ExecuteAsync(connection, null,
            "PRAGMA journal_mode = DELETE; PRAGMA synchronous = OFF; PRAGMA cache_size = -1048576; PRAGMA temp_store = MEMORY; PRAGMA foreign_keys = OFF;",
            cancellationToken);

        var clock = Stopwatch.StartNew();
        await using (var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken))
        {
            var indexes = await DropIndexesAsync(connection, transaction, cancellationToken);

            using var leads = new RowInserter(connection, "leads", [.. CrmColumn.Leads.Select(c => c.Name)]);
            using var events = new RowInserter(connection, "lead_events", ["lead_id", "workspace_id", "type", "actor_user_id", "actor", "at", "data_json"]);
            using var tags = new RowInserter(connection, "lead_tags", ["lead_id", "tag", "workspace_id"]);
            using var contacts = new RowInserter(connection, "contacts", ["id", "workspace_id", "email_normalized", "phone_normalized", "name", "created_at", "updated_at"]);
            var values = new object?[CrmColumn.Leads.Count];
            foreach (var lead in generator.Generate())
            {
                for (var c = 0; c < values.Length; c++)
                {
                    values[c] = ToSqlite(CrmColumn.Leads[c].Value(lead));
                }
                if (lead.ContactIsNew)
                {
                    var at = Time(lead.StoredAt);
                    contacts.Add([lead.ContactId, lead.WorkspaceId, lead.EmailNormalized, lead.PhoneNormalized, lead.ContactName, at, at]);
                }
                leads.Add(values);
                foreach (var e in lead.Events)
                {
                    events.Add([lead.Id, lead.WorkspaceId, e.Type, e.ActorUserId, e.Actor, Time(e.At), e.DataJson]);
                }
                foreach (var tag in lead.Tags)
                {
                    tags.Add([lead.Id, tag, lead.WorkspaceId]);
                }
                if (lead.Id % 100_000 == 0)
                {
                    progress($"  {lead.Id:N0} of {generator.Count:N0} leads written ({lead.Id / clock.Elapsed.TotalSeconds:N0}/s)");
                }
            }
            leads.Flush();
            events.Flush();
            tags.Flush();
            contacts.Flush();
            var leadsSeconds = clock.Elapsed.TotalSeconds;

            progress($"  creating {indexes.Count} indexes again");
            clock.Restart();
            foreach (var sql in indexes)
            {
                await ExecuteAsync(connection, transaction, sql, cancellationToken);
            }
            await transaction.CommitAsync(cancellationToken);
            var indexSeconds = clock.Elapsed.TotalSeconds;
            return (leadsSeconds, indexSeconds);
        }
    }

    public override async Task AnalyzeAsync(CancellationToken cancellationToken)
    {
        SqliteConnection.ClearAllPools();
        await using var connection = (SqliteConnection)await OpenAsync(true, cancellationToken);
        // Statistics, then back to the journal mode the server runs with (it is kept in the file).
        await ExecuteAsync(connection, null, "ANALYZE", cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode = WAL";
        var mode = (string?)await command.ExecuteScalarAsync(cancellationToken);
        if (!string.Equals(mode, "wal", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException($"The seeded SQLite file stayed in journal mode '{mode}' instead of WAL.");
        }
    }

    public override Task<long> SizeInBytesAsync(CancellationToken cancellationToken) =>
        Task.FromResult(new FileInfo(File).Length);

    public override ValueTask DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        return base.DisposeAsync();
    }

    /// <summary>Drops the secondary indexes of the loaded tables and returns the SQL that creates them again.</summary>
    private static async Task<List<string>> DropIndexesAsync(SqliteConnection connection, SqliteTransaction transaction, CancellationToken cancellationToken)
    {
        var indexes = new List<(string Name, string Sql)>();
        await using (var command = connection.CreateCommand())
        {
            command.Transaction = transaction;
            // sql IS NULL: the automatic indexes of PRIMARY KEY / UNIQUE constraints, which cannot be dropped.
            command.CommandText =
                $"SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN ({string.Join(", ", LoadedTables.Select(t => $"'{t}'"))})";
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                indexes.Add((reader.GetString(0), reader.GetString(1)));
            }
        }
        foreach (var (name, _) in indexes)
        {
            await ExecuteAsync(connection, transaction, $"DROP INDEX \"{name}\"", cancellationToken);
        }
        return [.. indexes.Select(i => i.Sql)];
    }

    private static async Task ExecuteAsync(SqliteConnection connection, SqliteTransaction? transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.CommandTimeout = 0;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static object? ToSqlite(object? value) => value switch
    {
        null => null,
        bool b => b ? 1L : 0L,
        DateTime t => Time(t),
        _ => value,
    };

    /// <summary>EF Core's SQLite text form of a DateTime, which the server compares and sorts as text.</summary>
    private static string Time(DateTime value) => value.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture);

    /// <summary>
    /// Rows of one table gathered into a prepared multi-row INSERT, bound by position through SQLite's own API
    /// (SQLitePCLRaw, under Microsoft.Data.Sqlite). Why not SqliteCommand: it binds every parameter by name, and both
    /// it and SQLite look a name up among all of the statement's, so a statement of a few hundred parameters costs
    /// more to bind than to insert. The statement runs on the connection's handle, inside its transaction.
    /// </summary>
    private sealed class RowInserter(SqliteConnection connection, string table, IReadOnlyList<string> columns) : IDisposable
    {
        private readonly int _rowsPerInsert = Math.Max(1, ParametersPerInsert / columns.Count);
        private readonly object?[] _pending = new object?[Math.Max(1, ParametersPerInsert / columns.Count) * columns.Count];
        private int _rows;
        private sqlite3_stmt? _full;

        public void Add(object?[] row)
        {
            Array.Copy(row, 0, _pending, _rows * columns.Count, columns.Count);
            if (++_rows == _rowsPerInsert)
            {
                _full ??= Prepare(_rowsPerInsert);
                Run(_full);
            }
        }

        /// <summary>The rows of an unfinished statement, in a statement of their own size.</summary>
        public void Flush()
        {
            if (_rows > 0)
            {
                using var rest = Prepare(_rows);
                Run(rest);
            }
        }

        public void Dispose() => _full?.Dispose();

        private void Run(sqlite3_stmt statement)
        {
            for (var i = 0; i < _rows * columns.Count; i++)
            {
                var rc = _pending[i] switch
                {
                    null => raw.sqlite3_bind_null(statement, i + 1),
                    long number => raw.sqlite3_bind_int64(statement, i + 1, number),
                    int number => raw.sqlite3_bind_int(statement, i + 1, number),
                    string text => raw.sqlite3_bind_text(statement, i + 1, text),
                    var other => throw new InvalidOperationException($"Cannot bind a {other.GetType().Name} to {table}.{columns[i % columns.Count]}."),
                };
                Check(rc);
            }
            var step = raw.sqlite3_step(statement);
            if (step != raw.SQLITE_DONE)
            {
                Check(step);
            }
            Check(raw.sqlite3_reset(statement));
            _rows = 0;
        }

        private sqlite3_stmt Prepare(int rows)
        {
            var tuple = "(" + string.Join(", ", Enumerable.Repeat("?", columns.Count)) + ")";
            var sql = $"INSERT INTO {table} ({string.Join(", ", columns)}) VALUES {string.Join(", ", Enumerable.Repeat(tuple, rows))}";
            Check(raw.sqlite3_prepare_v2(connection.Handle, sql, out sqlite3_stmt statement));
            return statement;
        }

        private void Check(int rc)
        {
            if (rc is not (raw.SQLITE_OK or raw.SQLITE_ROW or raw.SQLITE_DONE))
            {
                throw new InvalidOperationException($"SQLite error {rc} inserting into {table}: {raw.sqlite3_errmsg(connection.Handle).utf8_to_string()}");
            }
        }
    }
}
