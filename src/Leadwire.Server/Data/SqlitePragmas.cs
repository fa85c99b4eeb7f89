using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Leadwire.Data;

/// <summary>
/// SQLite as a real provider: WAL so readers never block the writer, a busy timeout so writers queue instead of
/// failing, foreign keys on, and the configured durability level. No automatic checkpoints: they would run inside
/// some request's commit; <see cref="SqliteCheckpointer"/> does them in the background. Set once per native
/// connection: Microsoft.Data.Sqlite pools those, and EF opens and closes its connection around every query.
/// </summary>
internal sealed class SqlitePragmas(string synchronous, int busyTimeoutMs) : DbConnectionInterceptor
{
    private readonly string _sql =
        $"PRAGMA journal_mode = WAL; PRAGMA busy_timeout = {busyTimeoutMs}; PRAGMA foreign_keys = ON; " +
        $"PRAGMA synchronous = {synchronous.ToUpperInvariant()}; PRAGMA wal_autocheckpoint = 0; PRAGMA journal_size_limit = 67108864;";

    /// <summary>Native connections already set up; entries go when the pool closes a connection for good.</summary>
    private readonly ConditionalWeakTable<object, object> _configured = [];

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => Apply(connection);

    public override Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        // SQLite runs synchronously under its async methods anyway.
        Apply(connection);
        return Task.CompletedTask;
    }

    public void Apply(DbConnection connection)
    {
        var handle = (connection as SqliteConnection)?.Handle;
        if (handle is not null && _configured.TryGetValue(handle, out _))
        {
            return;
        }
        using (var command = connection.CreateCommand())
        {
            command.CommandText = _sql;
            command.ExecuteNonQuery();
        }
        if (handle is not null)
        {
            _configured.AddOrUpdate(handle, handle);
        }
    }
}
