using System.Data.Common;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using Leadwire.Data;
using Leadwire.Features.Jobs;
using Leadwire.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Options;

namespace Leadwire.Features.Webhooks;

/// <summary>
/// The durable inbox. Each verified delivery is written with the job that will process it, and the request is
/// answered only after that commit. Concurrent deliveries share one transaction (group commit), which is what
/// keeps acknowledgement fast when the database can do only one write at a time.
/// </summary>
public sealed partial class WebhookInbox(
    IServiceScopeFactory scopes,
    WriteGate gate,
    JobSignal signal,
    TimeProvider time,
    IOptions<WebhookOptions> options,
    IOptionsMonitor<JobOptions> jobOptions,
    ILogger<WebhookInbox> logger) : BackgroundService
{
    public const string SignatureVerified = "verified";

    private readonly Channel<Pending> _pending = Channel.CreateBounded<Pending>(
        new BoundedChannelOptions(8192) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

    /// <summary>Completes once the delivery is committed; throws if it could not be stored.</summary>
    public async Task AcceptAsync(byte[] body, CancellationToken cancellationToken)
    {
        var pending = new Pending(body);
        await _pending.Writer.WriteAsync(pending, cancellationToken);
        await pending.Stored.Task.WaitAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<Pending>(options.Value.InboxBatchSize);
        // Keep draining after shutdown starts: the server has stopped taking requests, but some await a commit.
        while (await _pending.Reader.WaitToReadAsync(CancellationToken.None))
        {
            while (batch.Count < options.Value.InboxBatchSize && _pending.Reader.TryRead(out var item))
            {
                batch.Add(item);
            }
            await WriteAsync(batch);
            batch.Clear();
            if (stoppingToken.IsCancellationRequested && _pending.Reader.Count == 0)
            {
                break;
            }
        }
    }

    public override Task StopAsync(CancellationToken cancellationToken)
    {
        _pending.Writer.TryComplete();
        return base.StopAsync(cancellationToken);
    }

    private async Task WriteAsync(List<Pending> batch)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<LeadwireDbContext>();
            var now = time.GetUtcNow().UtcDateTime;
            // The priority lane: a Meta request is waiting on this commit.
            using var permit = await gate.EnterAsync(CancellationToken.None, priority: true);
            await db.Database.OpenConnectionAsync(CancellationToken.None);
            await using var transaction = await db.Database.BeginTransactionAsync(CancellationToken.None);
            var connection = db.Database.GetDbConnection();
            var ids = await InsertDeliveriesAsync(connection, transaction.GetDbTransaction(), batch, now);
            await InsertJobsAsync(connection, transaction.GetDbTransaction(), ids, now);
            await transaction.CommitAsync(CancellationToken.None);
        }
        catch (Exception e)
        {
            LogInboxWriteFailed(logger, batch.Count, e);
            foreach (var item in batch)
            {
                item.Stored.TrySetException(new InboxUnavailableException(e));
            }
            return;
        }

        foreach (var item in batch)
        {
            item.Stored.TrySetResult();
        }
        signal.Wake();
    }

    // Plain multi-row SQL, not EF change tracking: this is the hot path every delivery takes before its 200, and a
    // statement per batch costs a fraction of an entity per row. The SQL is the same on SQLite and PostgreSQL.
    private static async Task<List<long>> InsertDeliveriesAsync(DbConnection connection, DbTransaction transaction, List<Pending> batch, DateTime now)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        var sql = new StringBuilder("INSERT INTO webhook_deliveries (received_at, signature_status, body, status, change_count) VALUES ");
        AddParameter(command, "@received_at", now);
        AddParameter(command, "@signature", SignatureVerified);
        AddParameter(command, "@status", nameof(WebhookDeliveryStatus.Received));
        for (var i = 0; i < batch.Count; i++)
        {
            sql.Append(i == 0 ? "" : ", ").Append(CultureInfo.InvariantCulture, $"(@received_at, @signature, @b{i}, @status, 0)");
            AddParameter(command, $"@b{i}", batch[i].Body);
        }
        command.CommandText = sql.Append(" RETURNING id").ToString();

        var ids = new List<long>(batch.Count);
        await using var reader = await command.ExecuteReaderAsync(CancellationToken.None);
        while (await reader.ReadAsync(CancellationToken.None))
        {
            ids.Add(reader.GetInt64(0));
        }
        return ids;
    }

    private async Task InsertJobsAsync(DbConnection connection, DbTransaction transaction, List<long> deliveryIds, DateTime now)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        var sql = new StringBuilder("INSERT INTO jobs (kind, payload, status, run_after, attempts, max_attempts, created_at, updated_at) VALUES ");
        AddParameter(command, "@kind", ProcessWebhookDelivery.Kind);
        AddParameter(command, "@status", nameof(JobStatus.Pending));
        AddParameter(command, "@now", now);
        AddParameter(command, "@max_attempts", jobOptions.CurrentValue.MaxAttempts);
        for (var i = 0; i < deliveryIds.Count; i++)
        {
            sql.Append(i == 0 ? "" : ", ").Append(CultureInfo.InvariantCulture, $"(@kind, @p{i}, @status, @now, 0, @max_attempts, @now, @now)");
            AddParameter(command, $"@p{i}", JsonSerializer.Serialize(new ProcessWebhookDelivery.Payload(deliveryIds[i]), JobJson.Options));
        }
        command.CommandText = sql.ToString();
        await command.ExecuteNonQueryAsync(CancellationToken.None);
    }

    private static void AddParameter(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }

    private sealed class Pending(byte[] body)
    {
        public byte[] Body { get; } = body;
        public TaskCompletionSource Stored { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not store {Count} webhook deliveries; Meta will be told to retry")]
    private static partial void LogInboxWriteFailed(ILogger logger, int count, Exception exception);
}

public sealed class InboxUnavailableException(Exception inner) : Exception("The webhook inbox could not store the delivery.", inner);
