using Leadwire.MetaEmulator;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Leadwire.Features.Demo;

public sealed record TestLeadSent(string MetaLeadId, string FormId);

/// <summary>
/// <c>POST /demo/test-lead</c> and the dashboard's "Send test lead" button: the emulator creates a lead and delivers
/// its webhook, as Meta would.
/// </summary>
public static class SendTestLead
{
    private static long _sequence;

    internal static async Task<Results<Accepted<TestLeadSent>, RedirectHttpResult, ProblemHttpResult>> HandleAsync(
        HttpRequest request, MetaEmulatorHost emulator, DemoSeed seed, TimeProvider time, CancellationToken cancellationToken)
    {
        var (sent, error) = await SendAsync(emulator, seed, time, cancellationToken);
        if (sent is null)
        {
            return TypedResults.Problem(title: "Demo not ready", detail: error, statusCode: StatusCodes.Status503ServiceUnavailable);
        }
        if (request.HasFormContentType)
        {
            return TypedResults.Redirect("/");
        }
        return TypedResults.Accepted("/api/v1/leads", sent);
    }

    /// <summary>Sends one; the error says in words why not (demo mode off, or the demo page not registered yet).</summary>
    public static Task<(TestLeadSent? Sent, string? Error)> SendAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(services);
        var emulator = services.GetService<MetaEmulatorHost>();
        var seed = services.GetService<DemoSeed>();
        return emulator is null || seed is null
            ? Task.FromResult<(TestLeadSent?, string?)>((null, "Test leads can be sent in demo mode only (Leadwire started without Meta settings)."))
            : SendAsync(emulator, seed, services.GetRequiredService<TimeProvider>(), cancellationToken);
    }

    private static async Task<(TestLeadSent? Sent, string? Error)> SendAsync(
        MetaEmulatorHost emulator, DemoSeed seed, TimeProvider time, CancellationToken cancellationToken)
    {
        (string PageId, string FormId) demo;
        try
        {
            demo = await seed.Ready.WaitAsync(TimeSpan.FromSeconds(10), cancellationToken);
        }
        catch (Exception e) when (e is TimeoutException or InvalidOperationException)
        {
            return (null, "The demo page is not ready yet: " + e.Message);
        }

        // Ids from the clock: the emulator's own counter restarts with the process, the database does not.
        var id = (time.GetUtcNow().ToUnixTimeMilliseconds() * 100) + (Interlocked.Increment(ref _sequence) % 100);
        var lead = await emulator.Client.CreateLeadAsync(new CreateLeadRequest
        {
            FormId = demo.FormId,
            Id = id.ToString(System.Globalization.CultureInfo.InvariantCulture),
            Deliver = true,
        }, cancellationToken);
        return (new TestLeadSent(lead.Id, demo.FormId), null);
    }
}
