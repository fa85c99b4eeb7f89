using System.Globalization;

namespace Leadwire.Bench;

public enum BenchMode
{
    Run,
    BaselineServer,
    Help,

    /// <summary>The CRM benchmark (lead list, search, export, bulk on a million seeded leads; see Crm/CrmRunner).</summary>
    Crm,
}

public enum BenchProvider
{
    Sqlite,
    Postgres,
}

/// <summary>The command line, parsed by hand (System.CommandLine is not available here).</summary>
public sealed record BenchArguments
{
    public const string Usage =
        """
        Leadwire benchmark

          Leadwire.Bench [run] [options]        run every phase against Leadwire and print the results
          Leadwire.Bench crm [options]          the CRM benchmark: seed a million leads, then measure the lead list,
                                                search, CSV export and a bulk status change (docs/benchmarks.md)
          Leadwire.Bench baseline-server --port N --secret S
                                                the reference receiver (started by "run"; not for direct use)

        run options:
          --provider sqlite|postgres   database of the Leadwire server (default sqlite)
          --postgres "<conn string>"   Npgsql connection string of a PostgreSQL role that may CREATE DATABASE
                                       (required for postgres; a fresh database is created and dropped per phase)
          --seconds N                  measured seconds of each acknowledgement run (default 10)
          --warmup N                   warm-up seconds before each measured run (default 2)
          --prime N                    leads that warm each fresh Leadwire process up before its phase, through the
                                       whole path, until stored (default 5000; 0 measures cold processes)
          --connections N              concurrent connections of the acknowledgement runs (default 64)
          --leads N                    leads of the end-to-end phase (default 20000)
          --batch N                    changes per POST in the end-to-end phase (default 50)
          --senders N                  concurrent senders in the end-to-end phase (default 4)
          --rate N                     leads per second of the latency phase (default 200)
          --latency-seconds N          measured seconds of the latency phase (default 15)
          --server <path>              Leadwire.Server.dll to run (default: the repository's Release build)
          --server-env NAME=VALUE      extra environment variable for every Leadwire process (repeatable), e.g.
                                       DOTNET_PerfMapEnabled=1 to profile it with perf, or a Leadwire__ setting
          --results <dir>              where the JSON result goes (default: bench/results)

        crm options (with --provider, --postgres, --server, --server-env, --results above):
          --crm-leads N                leads seeded into the workspace (default 1000000)
          --crm-requests N             measured requests of the list and of each search kind (default 200)
        """;

    public BenchMode Mode { get; init; } = BenchMode.Run;
    public BenchProvider Provider { get; init; } = BenchProvider.Sqlite;
    public string? PostgresAdmin { get; init; }
    public int Seconds { get; init; } = 10;
    public int WarmupSeconds { get; init; } = 2;
    public int PrimeLeads { get; init; } = 5_000;
    public int Connections { get; init; } = 64;
    public int Leads { get; init; } = 20_000;
    public int Batch { get; init; } = 50;
    public int Senders { get; init; } = 4;
    public int Rate { get; init; } = 200;
    public int LatencySeconds { get; init; } = 15;
    public string? ServerPath { get; init; }
    public IReadOnlyList<string> ServerEnvironment { get; init; } = [];
    public string? ResultsDirectory { get; init; }
    public int CrmLeads { get; init; } = 1_000_000;
    public int CrmRequests { get; init; } = 200;
    public int Port { get; init; }
    public string Secret { get; init; } = "";

    public static BenchArguments Parse(IReadOnlyList<string> args)
    {
        var result = new BenchArguments();
        var i = 0;
        if (args.Count > 0 && !args[0].StartsWith('-'))
        {
            result = args[0] switch
            {
                "run" => result,
                "baseline-server" => result with { Mode = BenchMode.BaselineServer },
                "crm" => result with { Mode = BenchMode.Crm },
                _ => throw new BenchUsageException($"Unknown mode '{args[0]}'."),
            };
            i = 1;
        }

        for (; i < args.Count; i++)
        {
            var name = args[i];
            if (name is "-h" or "--help")
            {
                return result with { Mode = BenchMode.Help };
            }
            var value = i + 1 < args.Count ? args[++i] : throw new BenchUsageException($"{name} needs a value.");
            result = name switch
            {
                "--provider" => result with { Provider = ParseProvider(value) },
                "--postgres" => result with { PostgresAdmin = value },
                "--seconds" => result with { Seconds = Positive(name, value) },
                "--warmup" => result with { WarmupSeconds = NonNegative(name, value) },
                "--prime" => result with { PrimeLeads = NonNegative(name, value) },
                "--connections" => result with { Connections = Positive(name, value) },
                "--leads" => result with { Leads = Positive(name, value) },
                "--batch" => result with { Batch = Positive(name, value) },
                "--senders" => result with { Senders = Positive(name, value) },
                "--rate" => result with { Rate = Positive(name, value) },
                "--latency-seconds" => result with { LatencySeconds = Positive(name, value) },
                "--server" => result with { ServerPath = value },
                "--server-env" => value.IndexOf('=', StringComparison.Ordinal) > 0
                    ? result with { ServerEnvironment = [.. result.ServerEnvironment, value] }
                    : throw new BenchUsageException($"--server-env takes NAME=VALUE, not '{value}'."),
                "--results" => result with { ResultsDirectory = value },
                "--crm-leads" => result with { CrmLeads = Positive(name, value) },
                "--crm-requests" => result with { CrmRequests = Positive(name, value) },
                "--port" => result with { Port = Positive(name, value) },
                "--secret" => result with { Secret = value },
                _ => throw new BenchUsageException($"Unknown option '{name}'."),
            };
        }

        if (result.Mode == BenchMode.BaselineServer && (result.Port == 0 || result.Secret.Length == 0))
        {
            throw new BenchUsageException("baseline-server needs --port and --secret.");
        }
        if ((result.Mode is BenchMode.Run or BenchMode.Crm) && result.Provider == BenchProvider.Postgres && string.IsNullOrWhiteSpace(result.PostgresAdmin))
        {
            throw new BenchUsageException("--provider postgres needs --postgres \"<connection string>\" (bash scripts/postgres.sh start prints one).");
        }
        if (result.Mode == BenchMode.Crm && result.CrmLeads < 1_000)
        {
            throw new BenchUsageException("--crm-leads is at least 1000 (the samples and the bulk filter need some spread).");
        }
        if (result.Leads > 100_000)
        {
            throw new BenchUsageException("--leads is at most 100000 (one bulk call of the emulator).");
        }
        return result;
    }

    private static BenchProvider ParseProvider(string value) => value.ToLowerInvariant() switch
    {
        "sqlite" => BenchProvider.Sqlite,
        "postgres" or "postgresql" => BenchProvider.Postgres,
        _ => throw new BenchUsageException($"--provider is sqlite or postgres, not '{value}'."),
    };

    private static int Positive(string name, string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number > 0
            ? number
            : throw new BenchUsageException($"{name} must be a positive whole number, not '{value}'.");

    private static int NonNegative(string name, string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number)
            ? number
            : throw new BenchUsageException($"{name} must be a whole number, not '{value}'.");
}

public sealed class BenchUsageException(string message) : Exception(message);
