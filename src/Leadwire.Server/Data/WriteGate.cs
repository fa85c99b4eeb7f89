using Leadwire.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Leadwire.Data;

/// <summary>
/// SQLite allows one writer at a time, and a writer that finds the lock taken polls for it with sleeps, which turns
/// contention into latency spikes of hundreds of milliseconds. So within the process, writers queue here instead
/// (first come, first served, with a priority lane for the webhook inbox, whose commit a caller is waiting on).
/// PostgreSQL has row locks and needs no gate.
/// </summary>
public sealed class WriteGate
{
    private readonly Lock _lock = new();
    private readonly Queue<TaskCompletionSource> _priority = new();
    private readonly Queue<TaskCompletionSource> _normal = new();
    private bool _held;

    public WriteGate(DatabaseDialect dialect) => Enabled = dialect.Provider == DatabaseProvider.Sqlite;

    public bool Enabled { get; }

    public async ValueTask<Permit> EnterAsync(CancellationToken cancellationToken, bool priority = false)
    {
        if (!Enabled)
        {
            return default;
        }
        TaskCompletionSource waiter;
        lock (_lock)
        {
            if (!_held)
            {
                _held = true;
                return new Permit(this);
            }
            waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            (priority ? _priority : _normal).Enqueue(waiter);
        }

        try
        {
            await waiter.Task.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // If the gate was handed to us just as we gave up, pass it on; otherwise our entry is skipped on exit.
            if (!waiter.TrySetCanceled())
            {
                Exit();
            }
            throw;
        }
        return new Permit(this);
    }

    private void Exit()
    {
        lock (_lock)
        {
            while (_priority.Count > 0 || _normal.Count > 0)
            {
                var next = _priority.Count > 0 ? _priority.Dequeue() : _normal.Dequeue();
                if (next.TrySetResult())
                {
                    return;
                }
            }
            _held = false;
        }
    }

    /// <summary>Holding the gate; disposing releases it to the next writer.</summary>
    public readonly struct Permit(WriteGate? gate) : IDisposable
    {
        public void Dispose() => gate?.Exit();
    }
}

public static class WriteGateExtensions
{
    /// <summary>Runs <paramref name="work"/> in one transaction, holding the write gate from begin to commit.</summary>
    public static async Task InWriteTransactionAsync(
        this LeadwireDbContext db, WriteGate gate, Func<Task> work, CancellationToken cancellationToken, bool priority = false)
    {
        using var permit = await gate.EnterAsync(cancellationToken, priority);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await work();
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }
}
