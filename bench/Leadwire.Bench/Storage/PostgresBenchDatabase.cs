using System.Globalization;
using Npgsql;

namespace Leadwire.Bench.Storage;

/// <summary>A database created for one phase with the admin connection, migrated by the server, dropped afterwards.</summary>
public sealed class PostgresBenchDatabase : BenchDatabase
{
    private readonly string _admin;
    private readonly string _name;
    private readonly string _connectionString;
    private readonly NpgsqlDataSource _source;

    private PostgresBenchDatabase(string admin, string name)
    {
        _admin = admin;
        _name = name;
        _connectionString = new NpgsqlConnectionStringBuilder(admin) { Database = name }.ConnectionString;
        _source = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(_connectionString) { MaxPoolSize = 2 }.ConnectionString);
    }

    public override string Provider => "postgres";

    public override IReadOnlyDictionary<string, string> ServerEnvironment => new Dictionary<string, string>
    {
        ["Leadwire__Database__Provider"] = "postgres",
        ["ConnectionStrings__Leadwire"] = _connectionString,
    };

    public static async Task<PostgresBenchDatabase> CreateAsync(string admin, string phase, CancellationToken cancellationToken)
    {
        // Only [a-z0-9_]: safe to put in the statement, which cannot take the name as a parameter.
        var name = string.Create(CultureInfo.InvariantCulture, $"leadwire_bench_{Environment.ProcessId}_{phase}_{TimeProvider.System.GetUtcNow().UtcDateTime:HHmmssfff}");
        await using (var connection = new NpgsqlConnection(admin))
        {
            await connection.OpenAsync(cancellationToken);
            await using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        return new PostgresBenchDatabase(admin, name);
    }

    public override async Task<long> CountLeadsAsync(CancellationToken cancellationToken)
    {
        await using var command = _source.CreateCommand("SELECT count(*) FROM leads");
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    public override async Task<long> MaxLeadIdAsync(CancellationToken cancellationToken)
    {
        await using var command = _source.CreateCommand("SELECT coalesce(max(id), 0) FROM leads");
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    public override async Task<IReadOnlyList<StoredLead>> ReadLeadsAfterAsync(long afterId, CancellationToken cancellationToken)
    {
        await using var command = _source.CreateCommand("SELECT id, meta_lead_id, stored_at FROM leads WHERE id > $1 ORDER BY id");
        command.Parameters.Add(new NpgsqlParameter { Value = afterId });
        var leads = new List<StoredLead>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            // timestamptz arrives as a UTC DateTime.
            leads.Add(new StoredLead(reader.GetInt64(0), reader.GetString(1), reader.GetDateTime(2)));
        }
        return leads;
    }

    public override async ValueTask DisposeAsync()
    {
        await _source.DisposeAsync();
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(_admin);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS {_name} WITH (FORCE)", connection);
        await command.ExecuteNonQueryAsync();
    }
}
