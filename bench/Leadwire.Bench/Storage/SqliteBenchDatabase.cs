using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Leadwire.Bench.Storage;

/// <summary>A SQLite file in a temporary folder, created by the server at start (migrations), read here read-only.</summary>
public sealed class SqliteBenchDatabase : BenchDatabase
{
    // EF Core's SQLite mapping stores DateTime as TEXT 'yyyy-MM-dd HH:mm:ss.FFFFFFF'; the server writes UTC.
    private static readonly string[] StoredAtFormats = ["yyyy-MM-dd HH:mm:ss.FFFFFFF", "yyyy-MM-dd HH:mm:ss"];

    private readonly string _folder;
    private readonly string _file;
    private SqliteConnection? _connection;

    private SqliteBenchDatabase(string folder, string file)
    {
        _folder = folder;
        _file = file;
    }

    public override string Provider => "sqlite";

    public override IReadOnlyDictionary<string, string> ServerEnvironment => new Dictionary<string, string>
    {
        ["Leadwire__Database__Provider"] = "sqlite",
        ["ConnectionStrings__Leadwire"] = $"Data Source={_file}",
    };

    public static SqliteBenchDatabase Create(string phase)
    {
        var folder = Directory.CreateTempSubdirectory("leadwire-bench-").FullName;
        return new SqliteBenchDatabase(folder, Path.Combine(folder, $"{phase}.db"));
    }

    public override async Task<long> CountLeadsAsync(CancellationToken cancellationToken)
    {
        await using var command = (await OpenAsync(cancellationToken)).CreateCommand();
        command.CommandText = "SELECT count(*) FROM leads";
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    public override async Task<long> MaxLeadIdAsync(CancellationToken cancellationToken)
    {
        await using var command = (await OpenAsync(cancellationToken)).CreateCommand();
        command.CommandText = "SELECT coalesce(max(id), 0) FROM leads";
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    public override async Task<IReadOnlyList<StoredLead>> ReadLeadsAfterAsync(long afterId, CancellationToken cancellationToken)
    {
        await using var command = (await OpenAsync(cancellationToken)).CreateCommand();
        command.CommandText = "SELECT id, meta_lead_id, stored_at FROM leads WHERE id > $after ORDER BY id";
        command.Parameters.AddWithValue("$after", afterId);
        var leads = new List<StoredLead>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var storedAt = DateTime.ParseExact(reader.GetString(2), StoredAtFormats, CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
            leads.Add(new StoredLead(reader.GetInt64(0), reader.GetString(1), storedAt));
        }
        return leads;
    }

    public override async ValueTask DisposeAsync()
    {
        if (_connection is not null)
        {
            await _connection.DisposeAsync();
        }
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temporary folder is harmless.
        }
    }

    private async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        if (_connection is null)
        {
            // Opened only once the server has created the file. Read-only: WAL lets this reader run beside the
            // server's writer without blocking it.
            var connection = new SqliteConnection(new SqliteConnectionStringBuilder
            {
                DataSource = _file,
                Mode = SqliteOpenMode.ReadOnly,
                DefaultTimeout = 30,
            }.ToString());
            await connection.OpenAsync(cancellationToken);
            await using (var pragma = connection.CreateCommand())
            {
                pragma.CommandText = "PRAGMA busy_timeout = 5000";
                await pragma.ExecuteNonQueryAsync(cancellationToken);
            }
            _connection = connection;
        }
        return _connection;
    }
}
