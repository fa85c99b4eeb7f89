using System.Buffers;
using System.Security.Cryptography;
using System.Text;
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

    private static async Task<IResult> ReceiveAsync(HttpContext context, byte[] key)
    {
        var length = context.Request.ContentLength ?? 0;
        if (length is <= 0 or > MaxBodyBytes)
        {
            return Results.StatusCode(length > MaxBodyBytes ? StatusCodes.Status413PayloadTooLarge : StatusCodes.Status400BadRequest);
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
            return IsValid(body.AsSpan(0, total), context.Request.Headers["X-Hub-Signature-256"].ToString(), key)
                ? Results.Ok("EVENT_RECEIVED")
                : Results.StatusCode(StatusCodes.Status401Unauthorized);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(body);
        }
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
