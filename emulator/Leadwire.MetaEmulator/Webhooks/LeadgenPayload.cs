using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Leadwire.MetaEmulator.Webhooks;

/// <summary>Serialises a batch the way Meta does: compact JSON, one entry per page, changes in queue order.</summary>
internal static class LeadgenPayload
{
    private static readonly JsonWriterOptions Compact = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static byte[] Serialize(IReadOnlyList<LeadgenChange> changes, long sentUnix)
    {
        var pages = new List<(string PageId, List<LeadgenChange> Changes)>();
        var byPage = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var change in changes)
        {
            if (!byPage.TryGetValue(change.PageId, out var index))
            {
                index = pages.Count;
                byPage[change.PageId] = index;
                pages.Add((change.PageId, []));
            }

            pages[index].Changes.Add(change);
        }

        var buffer = new ArrayBufferWriter<byte>(128 + (changes.Count * 200));
        using (var writer = new Utf8JsonWriter(buffer, Compact))
        {
            writer.WriteStartObject();
            writer.WriteString("object", "page");
            writer.WriteStartArray("entry");
            foreach (var (pageId, pageChanges) in pages)
            {
                writer.WriteStartObject();
                writer.WriteString("id", pageId);
                writer.WriteNumber("time", sentUnix);
                writer.WriteStartArray("changes");
                foreach (var change in pageChanges)
                {
                    writer.WriteStartObject();
                    writer.WriteString("field", "leadgen");
                    writer.WriteStartObject("value");
                    writer.WriteString("leadgen_id", change.LeadId);
                    writer.WriteString("page_id", change.PageId);
                    writer.WriteString("form_id", change.FormId);
                    if (change.AdId is not null)
                    {
                        writer.WriteString("adgroup_id", change.AdId);
                        writer.WriteString("ad_id", change.AdId);
                    }

                    writer.WriteNumber("created_time", change.CreatedUnix);
                    writer.WriteEndObject();
                    writer.WriteEndObject();
                }

                writer.WriteEndArray();
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }
}
