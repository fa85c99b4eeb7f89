using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Leadwire.Bench.Infrastructure;

/// <summary>
/// A server under test as its own operating-system process (<c>dotnet some.dll</c>): started with environment
/// settings, awaited until <c>GET /</c> answers 200, its memory sampled from /proc while it runs, killed at the end.
/// </summary>
public sealed class ChildServer : IAsyncDisposable
{
    private const int KeptOutputLines = 200;

    // If the bench itself is stopped (Ctrl+C, SIGTERM), its servers go with it instead of lingering on their ports.
    private static readonly HashSet<Process> Running = [];

    static ChildServer() => AppDomain.CurrentDomain.ProcessExit += (_, _) => KillAllRunning();

    private readonly Process _process;
    private readonly Queue<string> _output = new();
    private readonly CancellationTokenSource _stopSampling = new();
    private readonly Task _sampling;
    private long _peakRssKb;

    private ChildServer(string name, Process process, Uri baseUrl)
    {
        Name = name;
        _process = process;
        BaseUrl = baseUrl;
        _sampling = SampleMemoryAsync(_stopSampling.Token);
    }

    public string Name { get; }
    public Uri BaseUrl { get; }
    public int ProcessId => _process.Id;

    /// <summary>Highest VmRSS seen by the 100 ms sampler, in KiB.</summary>
    public long SampledPeakRssKb => Interlocked.Read(ref _peakRssKb);

    public string RecentOutput
    {
        get
        {
            lock (_output)
            {
                return string.Join(Environment.NewLine, _output);
            }
        }
    }

    public static async Task<ChildServer> StartAsync(
        string name, string assembly, IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string> environment, Uri baseUrl)
    {
        if (!File.Exists(assembly))
        {
            throw new FileNotFoundException($"{assembly} does not exist; build it first (bash bench/run.sh builds everything).", assembly);
        }

        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(assembly)!,
        };
        start.ArgumentList.Add(assembly);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {name}.");
        lock (Running)
        {
            Running.Add(process);
        }
        var server = new ChildServer(name, process, baseUrl);
        process.OutputDataReceived += (_, e) => server.Append(e.Data);
        process.ErrorDataReceived += (_, e) => server.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        try
        {
            await server.WaitUntilReadyAsync(TimeSpan.FromSeconds(60));
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
        return server;
    }

    /// <summary>CPU time (user + system) the process has used so far.</summary>
    public TimeSpan ProcessorTime()
    {
        _process.Refresh();
        return _process.HasExited ? TimeSpan.Zero : _process.TotalProcessorTime;
    }

    /// <summary>VmHWM and VmRSS of the process now (the kernel's own peak, not a sample).</summary>
    public ProcessMemory ReadMemory() => ProcessMemory.Read(_process.Id);

    public async ValueTask DisposeAsync()
    {
        await _stopSampling.CancelAsync();
        await _sampling;
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }
        await _process.WaitForExitAsync();
        lock (Running)
        {
            Running.Remove(_process);
        }
        _process.Dispose();
        _stopSampling.Dispose();
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static void KillAllRunning()
    {
        lock (Running)
        {
            foreach (var process in Running)
            {
                try
                {
                    process.Kill(entireProcessTree: true);
                }
                catch (InvalidOperationException)
                {
                    // Already gone.
                }
            }
        }
    }

    private async Task WaitUntilReadyAsync(TimeSpan timeout)
    {
        using var probe = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(2) };
        var clock = Stopwatch.StartNew();
        var last = "no answer yet";
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"{Name} exited with {_process.ExitCode} during start:{Environment.NewLine}{RecentOutput}");
            }
            try
            {
                using var response = await probe.GetAsync(BaseUrl);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
                last = $"GET / answered {(int)response.StatusCode}";
            }
            catch (HttpRequestException e)
            {
                last = e.Message; // Not listening yet.
            }
            catch (TaskCanceledException)
            {
                last = "GET / timed out after 2 s"; // Not answering yet.
            }
            if (clock.Elapsed > timeout)
            {
                throw new TimeoutException(
                    $"{Name} (pid {_process.Id}) did not answer GET / with 200 within {timeout.TotalSeconds:0} s (last: {last}):{Environment.NewLine}{RecentOutput}");
            }
            await Task.Delay(100);
        }
    }

    private async Task SampleMemoryAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(100));
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                var memory = ProcessMemory.TryRead(_process.Id);
                if (memory is not null && memory.RssKb > Interlocked.Read(ref _peakRssKb))
                {
                    Interlocked.Exchange(ref _peakRssKb, memory.RssKb);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stopped.
        }
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_output)
        {
            _output.Enqueue(line);
            if (_output.Count > KeptOutputLines)
            {
                _output.Dequeue();
            }
        }
    }
}
