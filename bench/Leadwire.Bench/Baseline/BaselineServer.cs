using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Leadwire.Bench.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Leadwire.Bench.Baseline;

/// <summary>
/// The least a correct webhook receiver can do: read the body, verify <c>X-Hub-Signature-256</c> (HMAC-SHA256 of the
/// raw bytes with the app secret, constant-time compare) and answer 200. Leadwire's acknowledgement throughput is
/// compared with this, measured in the same run on the same machine.
/// </summary>
public static class BaselineServer
{
    private const string Prefix = "sha256=";
    private const int MaxBodyBytes = 2 * 1024 * 1024;

    // What Leadwire answers: the JSON string "EVENT_RECEIVED".
    private static readonly byte[] Acknowledgement = Encoding.UTF8.GetBytes("\"EVENT_RECEIVED\"");

    /// <summary>
    /// This program again, in baseline-server mode, as a child process, with the same runtime settings as the
    /// Leadwire build it is compared with (garbage collector and dynamic PGO, read from its runtimeconfig.json).
    /// </summary>
    public static async Task<ChildServer> StartProcessAsync(string leadwireAssembly)
    {
        var port = ChildServer.FreePort();
        var environment = new Dictionary<string, string>
        {
            ["DOTNET_gcServer"] = UsesServerGc(leadwireAssembly) ? "1" : "0",
            ["DOTNET_TieredPGO"] = RuntimeSwitch(leadwireAssembly, "System.Runtime.TieredPGO", defaultValue: true) ? "1" : "0",
            ["DOTNET_NOLOGO"] = "1",
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
        };
        return await ChildServer.StartAsync(
            "baseline server", RepoPaths.BenchAssembly,
            ["baseline-server", "--port", port.ToString(CultureInfo.InvariantCulture), "--secret", BenchWorld.AppSecret],
            environment, new Uri($"http://127.0.0.1:{port}/"));
    }

    /// <summary>System.GC.Server of an app's runtimeconfig.json (absent: the runtime's default, workstation).</summary>
    public static bool UsesServerGc(string assembly) => RuntimeSwitch(assembly, "System.GC.Server", defaultValue: false);

    /// <summary>A boolean of an app's runtimeconfig.json configProperties, or the runtime's default when absent.</summary>
    public static bool RuntimeSwitch(string assembly, string name, bool defaultValue)
    {
        var path = Path.ChangeExtension(assembly, ".runtimeconfig.json");
        if (!File.Exists(path))
        {
            return defaultValue;
        }
        using var config = JsonDocument.Parse(File.ReadAllText(path));
        return config.RootElement.TryGetProperty("runtimeOptions", out var options)
            && options.TryGetProperty("configProperties", out var properties)
            && properties.TryGetProperty(name, out var value)
            && value.ValueKind is JsonValueKind.True or JsonValueKind.False
            ? value.ValueKind == JsonValueKind.True
            : defaultValue;
    }

    /// <summary>The baseline-server mode: serve until stopped.</summary>
    public static async Task<int> RunAsync(int port, string secret)
    {
        var key = Encoding.UTF8.GetBytes(secret);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders().AddConsole().SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");

        var app = builder.Build();
        app.MapGet("/", () => "baseline");
        app.MapPost("/webhooks/meta", (HttpContext context) => ReceiveAsync(context, key));
        await app.RunAsync();
        return 0;
    }

    private static async Task ReceiveAsync(HttpContext context, byte[] key)
    {
        var length = context.Request.ContentLength ?? 0;
        if (length is <= 0 or > MaxBodyBytes)
        {
            context.Response.StatusCode = length > MaxBodyBytes ? StatusCodes.Status413PayloadTooLarge : StatusCodes.Status400BadRequest;
            return;
        }

        var body = ArrayPool<byte>.Shared.Rent((int)length);
        try
        {
            var total = 0;
            int read;
            while (total < length && (read = await context.Request.Body.ReadAsync(body.AsMemory(total, (int)length - total), context.RequestAborted)) > 0)
            {
                total += read;
            }
            if (!IsValid(body.AsSpan(0, total), context.Request.Headers["X-Hub-Signature-256"].ToString(), key))
            {
                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                return;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(body);
        }

        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/json; charset=utf-8";
        context.Response.ContentLength = Acknowledgement.Length;
        await context.Response.Body.WriteAsync(Acknowledgement, context.RequestAborted);
    }

    private static bool IsValid(ReadOnlySpan<byte> body, string header, byte[] key)
    {
        if (header.Length != Prefix.Length + 64 || !header.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }
        Span<byte> claimed = stackalloc byte[32];
        if (Convert.FromHexString(header.AsSpan(Prefix.Length), claimed, out _, out var written) != OperationStatus.Done || written != 32)
        {
            return false;
        }
        Span<byte> expected = stackalloc byte[32];
        HMACSHA256.HashData(key, body, expected);
        return CryptographicOperations.FixedTimeEquals(expected, claimed);
    }
}
