using System.Data;
using System.Data.Common;
using System.Reflection;
using System.Text.RegularExpressions;
using Leadwire.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Leadwire.Data;

/// <summary>
/// Applies the versioned SQL scripts under Data/Migrations/{provider}/ in order, each once, each in its own
/// transaction. EF Core's design-time tooling is not available here, so the scripts are written by hand and a
/// test proves they agree with the EF model on both providers.
/// </summary>
public sealed partial class MigrationRunner(LeadwireDbContext db, DatabaseDialect dialect, TimeProvider time, ILogger<MigrationRunner> logger)
{
    // Any constant works; it only has to be the same in every Leadwire instance.
    private const long PostgresLockKey = 0x4C65_6164_7769_7265;

    public static IReadOnlyList<Migration> Scripts(DatabaseProvider provider)
    {
        var folder = provider == DatabaseProvider.Postgres ? "postgres" : "sqlite";
        var assembly = typeof(MigrationRunner).Assembly;
        return assembly.GetManifestResourceNames()
            .Select(name => ScriptName().Match(name))
            .Where(m => m.Success && m.Groups["folder"].Value == folder)
            .Select(m => new Migration(int.Parse(m.Groups["version"].Value), m.Groups["name"].Value, Read(assembly, m.Value)))
            .OrderBy(m => m.Version)
            .ToList();
    }

    public async Task<int> MigrateAsync(CancellationToken cancellationToken)
    {
        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            if (dialect.Provider == DatabaseProvider.Postgres)
            {
                // Two instances starting together must not both apply version N.
                await ExecuteAsync(connection, null, $"SELECT pg_advisory_lock({PostgresLockKey})", cancellationToken);
            }
            try
            {
                return await ApplyPendingAsync(connection, cancellationToken);
            }
            finally
            {
                if (dialect.Provider == DatabaseProvider.Postgres)
                {
                    await ExecuteAsync(connection, null, $"SELECT pg_advisory_unlock({PostgresLockKey})", CancellationToken.None);
                }
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    private async Task<int> ApplyPendingAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        var timestampType = dialect.Provider == DatabaseProvider.Postgres ? "timestamp with time zone" : "TEXT";
        await ExecuteAsync(connection, null,
            $"CREATE TABLE IF NOT EXISTS schema_migrations (version integer NOT NULL PRIMARY KEY, name {(dialect.Provider == DatabaseProvider.Postgres ? "text" : "TEXT")} NOT NULL, applied_at {timestampType} NOT NULL)",
            cancellationToken);

        var applied = new HashSet<int>();
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = "SELECT version FROM schema_migrations";
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                applied.Add(reader.GetInt32(0));
            }
        }

        var count = 0;
        foreach (var migration in Scripts(dialect.Provider).Where(m => !applied.Contains(m.Version)))
        {
            await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.Serializable, cancellationToken);
            await ExecuteAsync(connection, transaction, migration.Sql, cancellationToken);
            await using (var insert = connection.CreateCommand())
            {
                insert.Transaction = transaction;
                insert.CommandText = "INSERT INTO schema_migrations (version, name, applied_at) VALUES (@version, @name, @applied_at)";
                insert.AddParameter("@version", migration.Version);
                insert.AddParameter("@name", migration.Name);
                insert.AddParameter("@applied_at", time.GetUtcNow().UtcDateTime);
                await insert.ExecuteNonQueryAsync(cancellationToken);
            }
            await transaction.CommitAsync(cancellationToken);
            logger.LogInformation("Applied migration {Version} {Name}", migration.Version, migration.Name);
            count++;
        }
        return count;
    }

    private static async Task ExecuteAsync(DbConnection connection, DbTransaction? transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }


    private static string Read(Assembly assembly, string resource)
    {
        using var stream = assembly.GetManifestResourceStream(resource)!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    [GeneratedRegex(@"^migrations/(?<folder>sqlite|postgres)[/\\](?<version>\d{4})_(?<name>[a-z0-9_]+)\.sql$")]
    private static partial Regex ScriptName();
}

public sealed record Migration(int Version, string Name, string Sql);
