namespace Leadwire.Tests.Unit.Export;

/// <summary>
/// Stands in for Kestrel's response body: not seekable, and any synchronous write or flush throws, as Kestrel's does
/// by default. Counts what arrives and can keep it for reading back.
/// </summary>
internal sealed class AsyncOnlyStream(bool keepBytes = true) : Stream
{
    private readonly MemoryStream _received = new();

    public long BytesReceived { get; private set; }

    public int Writes { get; private set; }

    public int Flushes { get; private set; }

    public int LargestWrite { get; private set; }

    public byte[] Received => keepBytes ? _received.ToArray() : throw new InvalidOperationException("Bytes were not kept.");

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Writes++;
        BytesReceived += buffer.Length;
        LargestWrite = Math.Max(LargestWrite, buffer.Length);
        if (keepBytes)
        {
            _received.Write(buffer.Span);
        }
        return ValueTask.CompletedTask;
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override Task FlushAsync(CancellationToken cancellationToken)
    {
        Flushes++;
        return Task.CompletedTask;
    }

    public override void Write(byte[] buffer, int offset, int count) => throw SynchronousIo();

    public override void Write(ReadOnlySpan<byte> buffer) => throw SynchronousIo();

    public override void WriteByte(byte value) => throw SynchronousIo();

    public override void Flush() => throw SynchronousIo();

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    private static InvalidOperationException SynchronousIo() =>
        new("Synchronous operations are disallowed. Call WriteAsync or set AllowSynchronousIO to true instead.");
}
