using Leadwire.Infrastructure;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Leadwire.Tests.Infrastructure;

/// <summary>
/// A database of its own for one test host: a fresh SQLite file, or a fresh database on the PostgreSQL that
/// scripts/test.sh starts (LEADWIRE_TEST_POSTGRES). PostgreSQL tests fail, never skip, when it is missing.
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    private TestDatabase(DatabaseProvider provider, string connectionString, string? postgresName)
    {
        Provider = provider;
        ConnectionString = connectionString;
        _postgresName = postgresName;
    }

    private readonly string? _postgresName;

    public DatabaseProvider Provider { get; }
    public string ConnectionString { get; }

    public IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["Leadwire:Database:Provider"] = Provider.ToString().ToLowerInvariant(),
        ["ConnectionStrings:Leadwire"] = ConnectionString,
    };

    public static async Task<TestDatabase> CreateAsync(DatabaseProvider provider)
    {
        if (provider == DatabaseProvider.Sqlite)
        {
            var folder = Path.Combine(Path.GetTempPath(), "leadwire-tests");
            Directory.CreateDirectory(folder);
            var file = Path.Combine(folder, $"{Guid.NewGuid():N}.db");
            return new TestDatabase(provider, new SqliteConnectionStringBuilder { DataSource = file }.ToString(), null);
        }

        var admin = AdminConnectionString;
        var name = $"lw_test_{Guid.NewGuid():N}";
        await using (var connection = new NpgsqlConnection(admin))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await create.ExecuteNonQueryAsync();
        }
        var builder = new NpgsqlConnectionStringBuilder(admin) { Database = name, MaxPoolSize = 100 };
        return new TestDatabase(provider, builder.ToString(), name);
    }

    public static string AdminConnectionString =>
        Environment.GetEnvironmentVariable("LEADWIRE_TEST_POSTGRES") is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException(
                "LEADWIRE_TEST_POSTGRES is not set. Run the suite with 'bash scripts/test.sh', which starts PostgreSQL.");

    public async ValueTask DisposeAsync()
    {
        if (Provider == DatabaseProvider.Sqlite)
        {
            SqliteConnection.ClearAllPools();
            var file = new SqliteConnectionStringBuilder(ConnectionString).DataSource;
            foreach (var path in new[] { file, file + "-wal", file + "-shm" })
            {
                try
                {
                    File.Delete(path);
                }
                catch (IOException)
                {
                    // A process we killed may still hold it for a moment; the temp folder is disposable anyway.
                }
            }
            return;
        }

        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(AdminConnectionString);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {_postgresName} WITH (FORCE)", connection);
        await drop.ExecuteNonQueryAsync();
    }
}
