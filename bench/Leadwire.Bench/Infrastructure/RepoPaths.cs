namespace Leadwire.Bench.Infrastructure;

/// <summary>Where the bench finds the server build and puts its results, relative to the repository root.</summary>
public static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    public static string ServerAssembly => Path.Combine(Root, "src", "Leadwire.Server", "bin", "Release", "net10.0", "Leadwire.Server.dll");

    public static string Results => Path.Combine(Root, "bench", "results");

    /// <summary>This very program, started again as the baseline server.</summary>
    public static string BenchAssembly => typeof(RepoPaths).Assembly.Location;

    private static string FindRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Leadwire.slnx")))
        {
            directory = directory.Parent;
        }
        return directory?.FullName
            ?? throw new InvalidOperationException("Could not find the repository root (Leadwire.slnx) above " + AppContext.BaseDirectory);
    }
}
