using System.Buffers;

namespace Leadwire.Features.Export;

/// <summary>
/// Gathers an export's bytes in memory and sends them to the output in chunks of about <see cref="ChunkSize"/>,
/// each followed by a flush. Per-row sends would cost a syscall and a TCP segment per lead; holding the whole file
/// would cost memory in proportion to the export. Every write to the output is asynchronous, because the output
/// is usually Kestrel's response body, which refuses synchronous IO.
/// </summary>
internal sealed class ChunkedOutput
{
    public const int ChunkSize = 64 * 1024;

    private readonly Stream _output;

    // Room past ChunkSize so the row that crosses the threshold rarely makes the buffer grow.
    private readonly ArrayBufferWriter<byte> _pending = new(2 * ChunkSize);

    public ChunkedOutput(Stream output)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (!output.CanWrite)
        {
            throw new ArgumentException("The export output must be writable.", nameof(output));
        }
        _output = output;
    }

    /// <summary>Where writers put bytes; nothing here reaches the output until a send.</summary>
    public IBufferWriter<byte> Pending => _pending;

    /// <summary>Sends the pending bytes once they make a full chunk; otherwise completes at once.</summary>
    public Task SendIfFullAsync(CancellationToken cancellationToken) =>
        _pending.WrittenCount >= ChunkSize ? SendAsync(cancellationToken) : Task.CompletedTask;

    /// <summary>Sends whatever is pending and flushes, so the bytes leave the server now.</summary>
    public async Task SendAsync(CancellationToken cancellationToken)
    {
        if (_pending.WrittenCount > 0)
        {
            await _output.WriteAsync(_pending.WrittenMemory, cancellationToken);
            // Keeps the capacity: the next chunk reuses the same array.
            _pending.ResetWrittenCount();
        }
        await _output.FlushAsync(cancellationToken);
    }

    /// <summary>
    /// A write-only stream over <see cref="Pending"/>, for code that can only write synchronously to a stream
    /// (<see cref="System.IO.Compression.ZipArchive"/>): its writes land in memory, and the owner sends them between
    /// rows.
    /// </summary>
    public Stream AsStream() => new PendingStream(_pending);

    private sealed class PendingStream(ArrayBufferWriter<byte> pending) : Stream
    {
        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override void Write(byte[] buffer, int offset, int count) => pending.Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer) => pending.Write(buffer);

        public override void WriteByte(byte value) => pending.Write([value]);

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        {
            Write(buffer, offset, count);
            return Task.CompletedTask;
        }

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Write(buffer.Span);
            return ValueTask.CompletedTask;
        }

        // The bytes are already where they need to be; ChunkedOutput decides when they are sent.
        public override void Flush()
        {
        }

        public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
