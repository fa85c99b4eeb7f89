namespace Leadwire.MetaEmulator.Graph;

/// <summary>"/{version}/{id}[/{edge}]" taken apart by hand (the hot path avoids route-value dictionaries).</summary>
internal readonly record struct GraphRoute(bool IsValid, string Path, string Version, string Id, string? Edge, int SubPathStart)
{
    /// <summary>The path after the version ("/900000000000001", "/200000000000001/leads"), for path-glob faults.</summary>
    public string SubPath => Path[SubPathStart..];

    public static bool IsControlPath(string path) =>
        path.StartsWith("/_emulator/", StringComparison.Ordinal) || path == "/_emulator";

    public static GraphRoute Parse(string path, string configuredVersion)
    {
        var invalid = new GraphRoute(false, path, configuredVersion, string.Empty, null, 0);
        if (path.Length < 2 || path[0] != '/')
        {
            return invalid;
        }

        var rest = path.AsSpan(1);
        var slash = rest.IndexOf('/');
        if (slash <= 0 || !MetaEmulatorSettings.IsVersion(rest[..slash]))
        {
            return invalid;
        }

        var version = rest[..slash].SequenceEqual(configuredVersion) ? configuredVersion : rest[..slash].ToString();
        var subPathStart = slash + 1;
        var remainder = rest[(slash + 1)..].TrimEnd('/');
        if (remainder.IsEmpty)
        {
            return invalid;
        }

        var next = remainder.IndexOf('/');
        if (next < 0)
        {
            return new GraphRoute(true, path, version, remainder.ToString(), null, subPathStart);
        }

        var edge = remainder[(next + 1)..];
        if (next == 0 || edge.IsEmpty || edge.Contains('/'))
        {
            return invalid;
        }

        return new GraphRoute(true, path, version, remainder[..next].ToString(), edge.ToString(), subPathStart);
    }
}
