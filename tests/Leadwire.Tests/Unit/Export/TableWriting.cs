using Leadwire.Features.Export;

namespace Leadwire.Tests.Unit.Export;

/// <summary>Writes a whole table in one format and returns the bytes the client would receive.</summary>
internal static class TableWriting
{
    public static async Task<byte[]> WriteAsync(ExportFormat format, IReadOnlyList<string> columns, params IReadOnlyList<string?>[] rows)
    {
        var output = new AsyncOnlyStream();
        await using (var writer = TableWriter.Create(format, output))
        {
            await writer.WriteHeaderAsync(columns, CancellationToken.None);
            foreach (var row in rows)
            {
                await writer.WriteRowAsync(row, CancellationToken.None);
            }
            await writer.CompleteAsync(CancellationToken.None);
        }
        return output.Received;
    }
}
