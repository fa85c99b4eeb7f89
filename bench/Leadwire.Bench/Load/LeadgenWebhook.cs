using System.Text.Json;
using Leadwire.MetaEmulator;

namespace Leadwire.Bench.Load;

/// <summary>A webhook POST ready to send: Meta's exact body shape, its X-Hub-Signature-256, and the leads it names.</summary>
public sealed record LeadgenWebhook(byte[] Body, string Signature, IReadOnlyList<string> LeadIds)
{
    /// <summary>
    /// <c>{"object":"page","entry":[{"id","time","changes":[{"field":"leadgen","value":{...}}]}]}</c>, one change per
    /// lead, as the emulator (and Meta) sends it. Signed here, before any timing starts.
    /// </summary>
    public static LeadgenWebhook Create(BenchWorld world, IReadOnlyList<string> leadIds)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("object", "page");
            json.WriteStartArray("entry");
            json.WriteStartObject();
            json.WriteString("id", world.Page.Id);
            json.WriteNumber("time", now);
            json.WriteStartArray("changes");
            foreach (var leadId in leadIds)
            {
                json.WriteStartObject();
                json.WriteString("field", "leadgen");
                json.WriteStartObject("value");
                json.WriteString("leadgen_id", leadId);
                json.WriteString("page_id", world.Page.Id);
                json.WriteString("form_id", world.Form.Id);
                if (world.Form.DefaultAd.AdId is { } adId)
                {
                    json.WriteString("adgroup_id", adId);
                    json.WriteString("ad_id", adId);
                }
                json.WriteNumber("created_time", now);
                json.WriteEndObject();
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
            json.WriteEndArray();
            json.WriteEndObject();
        }
        var body = buffer.ToArray();
        return new LeadgenWebhook(body, WebhookSignature.Sign256(body, BenchWorld.AppSecret), leadIds);
    }

    /// <summary>One POST per <paramref name="perPost"/> leads, in order.</summary>
    public static LeadgenWebhook[] CreateMany(BenchWorld world, IReadOnlyList<string> leadIds, int perPost) =>
        leadIds.Chunk(perPost).Select(chunk => Create(world, chunk)).ToArray();
}
