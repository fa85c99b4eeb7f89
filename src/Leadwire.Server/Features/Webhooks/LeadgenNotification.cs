using System.Text.Json;
using Leadwire.Meta;

namespace Leadwire.Features.Webhooks;

/// <summary>One <c>leadgen</c> change from a page webhook: ids only, the answers come from the Graph API.</summary>
public sealed record LeadgenChange(string LeadgenId, string PageId, string? FormId, string? AdId, DateTime? CreatedTime);

/// <summary>What a delivery body says, or why it cannot be understood.</summary>
public sealed record LeadgenNotification(IReadOnlyList<LeadgenChange> Changes, int IgnoredChanges, IReadOnlyList<string> Problems)
{
    /// <summary>Parses Meta's <c>{"object":"page","entry":[{"id","time","changes":[{"field","value"}]}]}</c>.</summary>
    /// <exception cref="FormatException">The body is not JSON, or not a page notification.</exception>
    public static LeadgenNotification Parse(ReadOnlySpan<byte> body)
    {
        JsonDocument document;
        try
        {
            var reader = new Utf8JsonReader(body);
            document = JsonDocument.ParseValue(ref reader);
        }
        catch (JsonException e)
        {
            throw new FormatException($"The body is not valid JSON: {e.Message}", e);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new FormatException("The body is JSON but not an object.");
            }
            var kind = GraphJson.String(root, "object");
            if (kind != "page")
            {
                throw new FormatException($"Unsupported webhook object '{kind ?? "(missing)"}'; only 'page' (leadgen) is handled.");
            }
            if (!root.TryGetProperty("entry", out var entries) || entries.ValueKind != JsonValueKind.Array)
            {
                throw new FormatException("The body has no 'entry' array.");
            }

            var changes = new List<LeadgenChange>();
            var problems = new List<string>();
            var ignored = 0;
            var entryIndex = 0;
            foreach (var entry in entries.EnumerateArray())
            {
                var entryPageId = entry.ValueKind == JsonValueKind.Object ? GraphJson.Id(entry, "id") : null;
                if (entry.ValueKind != JsonValueKind.Object || !entry.TryGetProperty("changes", out var entryChanges) || entryChanges.ValueKind != JsonValueKind.Array)
                {
                    problems.Add($"entry[{entryIndex}] has no 'changes' array.");
                    entryIndex++;
                    continue;
                }

                var changeIndex = 0;
                foreach (var change in entryChanges.EnumerateArray())
                {
                    var where = $"entry[{entryIndex}].changes[{changeIndex++}]";
                    if (change.ValueKind != JsonValueKind.Object || GraphJson.String(change, "field") is not { } field)
                    {
                        problems.Add($"{where} has no 'field'.");
                        continue;
                    }
                    if (field != "leadgen")
                    {
                        // leadgen_update, leadgen_fat and others: payloads unconfirmed; not ours to act on.
                        ignored++;
                        continue;
                    }
                    if (!change.TryGetProperty("value", out var value) || value.ValueKind != JsonValueKind.Object)
                    {
                        problems.Add($"{where} has no 'value' object.");
                        continue;
                    }
                    var leadgenId = GraphJson.Id(value, "leadgen_id");
                    var pageId = GraphJson.Id(value, "page_id") ?? entryPageId;
                    if (string.IsNullOrEmpty(leadgenId) || string.IsNullOrEmpty(pageId))
                    {
                        problems.Add($"{where} lacks leadgen_id or page_id.");
                        continue;
                    }
                    changes.Add(new LeadgenChange(
                        leadgenId,
                        pageId,
                        GraphJson.Id(value, "form_id"),
                        GraphJson.Id(value, "ad_id") ?? GraphJson.Id(value, "adgroup_id"),
                        GraphJson.Time(value, "created_time")));
                }
                entryIndex++;
            }
            return new LeadgenNotification(changes, ignored, problems);
        }
    }
}
