using System.Collections.Concurrent;
using System.Collections.Frozen;

namespace Leadwire.MetaEmulator.Graph;

/// <summary>
/// Turns a `fields=` list into a bit mask for one node type. Parsed lists are cached (clients repeat the same list),
/// so a read does not split strings. Bit 1 is always "id".
/// </summary>
internal sealed class FieldSelector(string nodeType, FrozenDictionary<string, int> names, int defaultMask)
{
    public const int Id = 1;
    private const int MaxCached = 1024;
    private readonly ConcurrentDictionary<string, (int Mask, string? Unknown)> _cache = new(StringComparer.Ordinal);

    public string NodeType => nodeType;

    /// <summary>False (with the offending name) when a field does not exist on the node type.</summary>
    public bool TryParse(string? fields, out int mask, out string? unknown)
    {
        if (string.IsNullOrWhiteSpace(fields))
        {
            mask = defaultMask;
            unknown = null;
            return true;
        }

        if (!_cache.TryGetValue(fields, out var parsed))
        {
            parsed = Parse(fields);
            if (_cache.Count < MaxCached)
            {
                _cache.TryAdd(fields, parsed);
            }
        }

        (mask, unknown) = parsed;
        return unknown is null;
    }

    public GraphError Error(string unknown) => GraphErrors.NonexistingField(unknown, nodeType);

    private (int Mask, string? Unknown) Parse(string fields)
    {
        var mask = Id;
        foreach (var part in fields.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (!names.TryGetValue(part, out var bit))
            {
                return (0, part);
            }

            mask |= bit;
        }

        return (mask, null);
    }
}
