using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Leadwire.Data;

/// <summary>
/// SQLite as a real provider: WAL so readers never block the writer, a busy timeout so writers queue instead of
/// failing, foreign keys on, and the configured durability level. Set on every opened connection.
/// </summary>
internal sealed class SqlitePragmas(string synchronous, int busyTimeoutMs) : DbConnectionInterceptor
{
    private readonly string _sql =
        $"PRAGMA journal_mode = WAL; PRAGMA busy_timeout = {busyTimeoutMs}; PRAGMA foreign_keys = ON; PRAGMA synchronous = {synchronous.ToUpperInvariant()};";

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => Apply(connection);

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = _sql;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public void Apply(DbConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = _sql;
        command.ExecuteNonQuery();
    }
}
