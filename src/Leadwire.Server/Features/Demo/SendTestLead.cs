using Leadwire.MetaEmulator;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Leadwire.Features.Demo;

public sealed record TestLeadSent(string MetaLeadId, string FormId);

/// <summary><c>POST /demo/test-lead</c>: the emulator creates a lead and delivers its webhook, as Meta would.</summary>
internal static class SendTestLead
{
    private static long _sequence;

    public static async Task<Results<Accepted<TestLeadSent>, RedirectHttpResult, ProblemHttpResult>> HandleAsync(
        HttpRequest request, MetaEmulatorHost emulator, DemoSeed seed, TimeProvider time, CancellationToken cancellationToken)
    {
        (string PageId, string FormId) demo;
        try
        {
            demo = await seed.Ready.WaitAsync(TimeSpan.FromSeconds(10), cancellationToken);
        }
        catch (Exception e) when (e is TimeoutException or InvalidOperationException)
        {
            return TypedResults.Problem(title: "Demo not ready", detail: e.Message, statusCode: StatusCodes.Status503ServiceUnavailable);
        }

        // Ids from the clock: the emulator's own counter restarts with the process, the database does not.
        var id = (time.GetUtcNow().ToUnixTimeMilliseconds() * 100) + (Interlocked.Increment(ref _sequence) % 100);
        var lead = await emulator.Client.CreateLeadAsync(new CreateLeadRequest
        {
            FormId = demo.FormId,
            Id = id.ToString(System.Globalization.CultureInfo.InvariantCulture),
            Deliver = true,
        }, cancellationToken);

        if (request.HasFormContentType)
        {
            return TypedResults.Redirect("/");
        }
        return TypedResults.Accepted("/api/v1/leads", new TestLeadSent(lead.Id, demo.FormId));
    }
}
