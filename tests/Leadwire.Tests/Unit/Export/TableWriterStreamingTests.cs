using Leadwire.Features.Export;

namespace Leadwire.Tests.Unit.Export;

public sealed class TableWriterStreamingTests
{
    private const int Rows = 200_000;
    private static readonly string[] Columns = ["leadgen_id", "full_name", "email", "phone_number", "city"];

    [Theory]
    [InlineData(ExportFormat.Csv)]
    [InlineData(ExportFormat.JsonLines)]
    [InlineData(ExportFormat.Xlsx)]
    public async Task Write_ManyRowsToAsyncOnlyStream_StreamsInBoundedChunks(ExportFormat format)
    {
        // Throws on any synchronous Write or Flush, like Kestrel's response body.
        var output = new AsyncOnlyStream(keepBytes: false);
        await using var writer = TableWriter.Create(format, output);
        await writer.WriteHeaderAsync(Columns, CancellationToken.None);
        var row = new string?[Columns.Length];
        for (var i = 0; i < Rows; i++)
        {
            row[0] = (900_000_000_000_000L + i).ToString(System.Globalization.CultureInfo.InvariantCulture);
            row[1] = i % 2 == 0 ? "Zoë Ünal" : "Şükrü Çağlar";
            row[2] = $"lead{i}@example.com";
            row[3] = "+15555550100";
            row[4] = i % 3 == 0 ? null : "İstanbul";
            await writer.WriteRowAsync(row, CancellationToken.None);
        }
        var beforeComplete = output.BytesReceived;
        var flushesBeforeComplete = output.Flushes;

        await writer.CompleteAsync(CancellationToken.None);

        Assert.True(output.BytesReceived > 1_000_000, $"only {output.BytesReceived} bytes in all");
        // Almost everything left before the end: what was still held was one chunk plus small codec buffers.
        Assert.InRange(output.BytesReceived - beforeComplete, 1, 256 * 1024);
        Assert.InRange(output.LargestWrite, 1, 256 * 1024);
        // Flushed as chunks filled, not once per row.
        Assert.InRange(flushesBeforeComplete, 2, Rows / 100);
    }

    [Theory]
    [InlineData(ExportFormat.Csv)]
    [InlineData(ExportFormat.JsonLines)]
    [InlineData(ExportFormat.Xlsx)]
    public async Task Dispose_WithoutComplete_SendsNothingMore(ExportFormat format)
    {
        var output = new AsyncOnlyStream();
        await using (var writer = TableWriter.Create(format, output))
        {
            await writer.WriteHeaderAsync(Columns, CancellationToken.None);
            await writer.WriteRowAsync(["1", "Jane Doe", "jane@example.com", null, null], CancellationToken.None);
        }

        Assert.Equal(0, output.BytesReceived);
    }

    [Theory]
    [InlineData(ExportFormat.Csv)]
    [InlineData(ExportFormat.JsonLines)]
    [InlineData(ExportFormat.Xlsx)]
    public async Task WriteRow_Cancelled_Throws(ExportFormat format)
    {
        await using var writer = TableWriter.Create(format, new AsyncOnlyStream());
        await writer.WriteHeaderAsync(Columns, CancellationToken.None);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => writer.WriteRowAsync(["1", "Jane Doe", "jane@example.com", null, null], new CancellationToken(canceled: true)));
    }
}
