using System.Data;
using System.Data.Common;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Leadwire.Data;
using Leadwire.Features.Jobs;
using Leadwire.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Leadwire.Features.Webhooks;

/// <summary>
/// Writes inbox batches on one long-lived connection with prepared statements. This is the path every delivery
/// takes before its 200, so the fixed cost of a commit (opening a connection, preparing SQL, change tracking)
/// is paid once rather than per batch. The SQL is the same on SQLite and PostgreSQL.
/// </summary>
internal sealed class InboxStore(IServiceScopeFactory scopes, IOptionsMonitor<JobOptions> jobOptions) : IAsyncDisposable
{
    /// <summary>Statement sizes a batch is cut into (largest first), so a handful of prepared statements serve any batch.</summary>
    private static readonly int[] ChunkSizes = [64, 16, 4, 1];

    private AsyncServiceScope? _scope;
    private DbConnection? _connection;
    private readonly Dictionary<int, DbCommand> _insertDeliveries = [];
    private DbCommand? _insertJob;

    /// <summary>Stores the bodies and one job that will process them, in one transaction; returns the delivery ids.</summary>
    public async Task<List<long>> StoreAsync(IReadOnlyList<byte[]> bodies, DateTime now)
    {
        try
        {
            var connection = await ConnectionAsync();
            await using var transaction = await connection.BeginTransactionAsync();
            var ids = new List<long>(bodies.Count);
            var offset = 0;
            foreach (var size in ChunkSizes)
            {
                while (bodies.Count - offset >= size)
                {
                    var command = _insertDeliveries[size];
                    command.Transaction = transaction;
                    command.Parameters[0].Value = now;
                    for (var i = 0; i < size; i++)
                    {
                        command.Parameters[i + 3].Value = bodies[offset + i];
                    }
                    await using (var reader = await command.ExecuteReaderAsync())
                    {
                        while (await reader.ReadAsync())
                        {
                            ids.Add(reader.GetInt64(0));
                        }
                    }
                    offset += size;
                }
            }

            var job = _insertJob!;
            job.Transaction = transaction;
            job.Parameters[0].Value = JsonSerializer.Serialize(new ProcessWebhookDelivery.Payload(ids), JobJson.Options);
            job.Parameters[1].Value = now;
            job.Parameters[2].Value = jobOptions.CurrentValue.MaxAttempts;
            await job.ExecuteNonQueryAsync();

            await transaction.CommitAsync();
            return ids;
        }
        catch
        {
            // Start from a fresh connection next time: this one may be broken.
            await ResetAsync();
            throw;
        }
    }

    private async Task<DbConnection> ConnectionAsync()
    {
        if (_connection is { State: ConnectionState.Open })
        {
            return _connection;
        }
        await ResetAsync();
        _scope = scopes.CreateAsyncScope();
        var db = _scope.Value.ServiceProvider.GetRequiredService<LeadwireDbContext>();
        await db.Database.OpenConnectionAsync();
        _connection = db.Database.GetDbConnection();

        foreach (var size in ChunkSizes)
        {
            var command = _connection.CreateCommand();
            var sql = new StringBuilder("INSERT INTO webhook_deliveries (received_at, signature_status, status, change_count, body) VALUES ");
            command.AddParameter("@received_at", DateTime.UnixEpoch);
            command.AddParameter("@signature", WebhookInbox.SignatureVerified);
            command.AddParameter("@status", nameof(WebhookDeliveryStatus.Received));
            for (var i = 0; i < size; i++)
            {
                sql.Append(i == 0 ? "" : ", ").Append(CultureInfo.InvariantCulture, $"(@received_at, @signature, @status, 0, @b{i})");
                command.AddParameter($"@b{i}", Array.Empty<byte>());
            }
            command.CommandText = sql.Append(" RETURNING id").ToString();
            await command.PrepareAsync();
            _insertDeliveries[size] = command;
        }

        _insertJob = _connection.CreateCommand();
        _insertJob.CommandText =
            $"""
            INSERT INTO jobs (kind, payload, status, run_after, attempts, max_attempts, created_at, updated_at)
            VALUES ('{ProcessWebhookDelivery.Kind}', @payload, '{nameof(JobStatus.Pending)}', @now, 0, @max_attempts, @now, @now)
            """;
        _insertJob.AddParameter("@payload", "");
        _insertJob.AddParameter("@now", DateTime.UnixEpoch);
        _insertJob.AddParameter("@max_attempts", 0);
        await _insertJob.PrepareAsync();
        return _connection;
    }

    private async Task ResetAsync()
    {
        foreach (var command in _insertDeliveries.Values)
        {
            await command.DisposeAsync();
        }
        _insertDeliveries.Clear();
        if (_insertJob is not null)
        {
            await _insertJob.DisposeAsync();
            _insertJob = null;
        }
        _connection = null;
        if (_scope is { } scope)
        {
            _scope = null;
            await scope.DisposeAsync();
        }
    }

    public async ValueTask DisposeAsync() => await ResetAsync();

}
