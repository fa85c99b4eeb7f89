using System.Diagnostics;
using Leadwire.Bench.Crm.Phases;
using Leadwire.Bench.Crm.Seeding;
using Leadwire.Bench.Infrastructure;
using Leadwire.Bench.Report;
using Leadwire.Bench.Storage;

namespace Leadwire.Bench.Crm;

/// <summary>
/// The CRM benchmark on one provider: a fresh database migrated by the server itself (started once on it, then
/// stopped), a million leads written straight into it, statistics gathered, then the server started again on it and
/// measured: the lead list, search by email and phone, the CSV export of everything, a bulk status change of ~100k
/// leads — each beside a baseline measured in the same run. Prints the table and saves the JSON.
/// </summary>
public static class CrmRunner
{
    private static readonly TimeSpan UpkeepTimeout = TimeSpan.FromMinutes(10);

    public static async Task<int> RunAsync(BenchArguments arguments)
    {
        var startedAt = TimeProvider.System.GetUtcNow();
        var version = MachineInfo.SourceVersion(RepoPaths.Root);
        var loadAtStart = MachineInfo.LoadAverage();
        var clock = Stopwatch.StartNew();
        var provider = arguments.Provider.ToString().ToLowerInvariant();
        void Progress(string message) => Console.Error.WriteLine($"[bench crm {provider} {clock.Elapsed:mm\\:ss}] {message}");
        var cancellationToken = CancellationToken.None;
        var serverAssembly = arguments.ServerPath ?? RepoPaths.ServerAssembly;

        await using var database = await BenchDatabase.CreateAsync(arguments, "crm", cancellationToken);
        await using var crm = CrmDatabase.For(database);

        Progress("applying the schema: the server starts once on the empty database (migrations, first workspace and owner)");
        await using (await StartServerAsync(serverAssembly, database, arguments))
        {
        }

        var now = TimeProvider.System.GetUtcNow().UtcDateTime;
        now = new DateTime(now.Ticks - (now.Ticks % TimeSpan.TicksPerMillisecond), DateTimeKind.Utc);
        var (workspaceId, ownerUserId, ownerEmail) = await crm.ReadBootstrapAsync(cancellationToken);
        var agents = await crm.InsertAgentsAsync(workspaceId, now, cancellationToken);
        var workspace = new CrmWorkspace(workspaceId, ownerUserId, ownerEmail, agents);
        await crm.InsertPagesAndFormsAsync(workspace, now, cancellationToken);
        var generator = new CrmLeadGenerator(workspace, arguments.CrmLeads, now);
        Progress($"seeding {arguments.CrmLeads:N0} leads into workspace {workspaceId} ({workspace.Pages.Count} pages, {workspace.Forms.Count} forms, {workspace.Ads.Count} ads, {agents.Count} agents)");
        var cpuBefore = BenchCpu();
        var (leadsSeconds, indexesSeconds) = await crm.LoadLeadsAsync(generator, Progress, cancellationToken);
        Progress("gathering statistics");
        var analyzeClock = Stopwatch.StartNew();
        await crm.AnalyzeAsync(cancellationToken);
        var analyzeSeconds = analyzeClock.Elapsed.TotalSeconds;
        var databaseBytes = await crm.SizeInBytesAsync(cancellationToken);
        var facts = generator.Facts;
        Progress($"seeded: {facts.Leads:N0} leads, {facts.Contacts:N0} contacts, {facts.Events:N0} events, {facts.Tags:N0} tags, {databaseBytes / 1e9:0.00} GB " +
            $"in {leadsSeconds + indexesSeconds + analyzeSeconds:0} s (the bench's own CPU: {(BenchCpu() - cpuBefore).TotalSeconds:0} s)");

        Progress("starting the server on the seeded database");
        await using var server = await StartServerAsync(serverAssembly, database, arguments);
        using var api = new CrmApi(server.BaseUrl, BenchWorld.ApiToken);
        var (upkeepSeconds, drained) = await WaitForIdleJobsAsync(crm, Progress, cancellationToken);

        var context = new CrmContext(arguments, server, api, crm, workspace, facts, generator.Samples, Progress);
        var list = await Guard(() => ListPhase.RunAsync(context, cancellationToken), e => CrmLatencyResult.NotAvailable("list, 2 filters + sort", "", e), Progress);
        var (email, phone) = await Guard(() => SearchPhase.RunAsync(context, cancellationToken),
            e => (CrmLatencyResult.NotAvailable("search by email", "", e), CrmLatencyResult.NotAvailable("search by phone", "", e)), Progress);
        var export = await Guard(() => ExportPhase.RunAsync(context, cancellationToken), e => ExportResult.NotAvailable(ExportPhase.Request, e, 0), Progress);
        var bulk = await Guard(() => BulkPhase.RunAsync(context, cancellationToken), e => BulkResult.NotAvailable("POST /api/v1/bulk-operations", e), Progress);
        var peakAtEnd = server.ReadMemory().PeakRssKb;

        var seed = new CrmSeedReport(
            facts.Leads, facts.LiveLeads, facts.Contacts, facts.Events, facts.Tags, facts.AssignedLeads, facts.ByStatus,
            leadsSeconds, indexesSeconds, analyzeSeconds, leadsSeconds + indexesSeconds + analyzeSeconds, databaseBytes, upkeepSeconds, drained);
        var report = new CrmReport(
            provider, version, startedAt, clock.Elapsed.TotalSeconds, MachineInfo.Describe(loadAtStart), arguments with { PostgresAdmin = null },
            seed, list, email, phone, export, bulk, peakAtEnd, CrmReport.Check(list, email, phone, export, bulk));
        Console.WriteLine(report.ToTable());
        var path = report.Save(arguments.ResultsDirectory ?? RepoPaths.Results);
        Console.WriteLine($"saved {Path.GetRelativePath(Environment.CurrentDirectory, path)}");
        Console.WriteLine();
        return 0;
    }

    private static TimeSpan BenchCpu()
    {
        using var self = Process.GetCurrentProcess();
        return self.TotalProcessorTime;
    }

    /// <summary>
    /// Leadwire on the bench's database. Meta settings are placeholders (nothing here calls Meta; the Graph URL is a
    /// closed port); reconciliation is off; the job runner is on, because bulk operations and the server's own
    /// upkeep (SLA check, score ageing) run as jobs.
    /// </summary>
    private static Task<ChildServer> StartServerAsync(string assembly, BenchDatabase database, BenchArguments arguments)
    {
        var port = ChildServer.FreePort();
        var environment = new Dictionary<string, string>(database.ServerEnvironment)
        {
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}",
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["DOTNET_NOLOGO"] = "1",
            ["Leadwire__Meta__AppId"] = BenchWorld.AppId,
            ["Leadwire__Meta__AppSecret"] = BenchWorld.AppSecret,
            ["Leadwire__Meta__VerifyToken"] = BenchWorld.VerifyToken,
            ["Leadwire__Meta__GraphBaseUrl"] = "http://127.0.0.1:9",
            ["Leadwire__Bootstrap__ApiToken"] = BenchWorld.ApiToken,
            ["Leadwire__Demo__Enabled"] = "false",
            ["Leadwire__Reconciliation__Enabled"] = "false",
            ["Leadwire__Jobs__RunnerEnabled"] = "true",
            ["Logging__LogLevel__Default"] = "Warning",
        };
        foreach (var pair in arguments.ServerEnvironment)
        {
            var split = pair.IndexOf('=', StringComparison.Ordinal);
            environment[pair[..split]] = pair[(split + 1)..];
        }
        return ChildServer.StartAsync("Leadwire.Server", assembly, [], environment, new Uri($"http://127.0.0.1:{port}/"));
    }

    /// <summary>
    /// Waits until the server's start-up upkeep is done (the first score-ageing run rescores the leads young or
    /// active enough to change; the SLA check finds nothing new): no job running and none due, twice in a row. A
    /// long-running server is past that; measuring during it would measure the upkeep.
    /// </summary>
    private static async Task<(double Seconds, bool Drained)> WaitForIdleJobsAsync(CrmDatabase database, Action<string> progress, CancellationToken cancellationToken)
    {
        progress("waiting for the server's start-up upkeep (background jobs) to finish");
        var clock = Stopwatch.StartNew();
        var quiet = 0;
        var lastReport = TimeSpan.Zero;
        await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken);
        while (clock.Elapsed < UpkeepTimeout)
        {
            var busy = await database.CountAsync(
                "SELECT count(*) FROM jobs WHERE status = 'Running' OR (status = 'Pending' AND run_after <= @now)",
                [("@now", TimeProvider.System.GetUtcNow().UtcDateTime)], cancellationToken);
            quiet = busy == 0 ? quiet + 1 : 0;
            if (quiet >= 2)
            {
                progress($"  idle after {clock.Elapsed.TotalSeconds:0} s");
                return (clock.Elapsed.TotalSeconds, true);
            }
            if (clock.Elapsed - lastReport > TimeSpan.FromSeconds(15))
            {
                lastReport = clock.Elapsed;
                progress($"  {busy} jobs running or due");
            }
            await Task.Delay(500, cancellationToken);
        }
        progress("  still busy; measuring anyway");
        return (clock.Elapsed.TotalSeconds, false);
    }

    /// <summary>A phase that throws (a missing endpoint that answers oddly, a cut-off download) is reported, not fatal.</summary>
    private static async Task<T> Guard<T>(Func<Task<T>> phase, Func<string, T> failed, Action<string> progress)
    {
        try
        {
            return await phase();
        }
        catch (Exception e) when (e is HttpRequestException or IOException or InvalidOperationException or TaskCanceledException or System.Text.Json.JsonException)
        {
            progress($"  the phase failed: {e.GetType().Name}: {e.Message}");
            return failed($"failed: {e.GetType().Name}: {e.Message}");
        }
    }
}
