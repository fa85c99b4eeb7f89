using System.Diagnostics;
using Leadwire.Infrastructure;
using Leadwire.MetaEmulator;
using Leadwire.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Xunit.Abstractions;

namespace Leadwire.Tests.Integration;

public sealed class IntakeLoadProbeTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Probe(DatabaseProvider provider)
    {
        await using var s = await CaptureScenario.StartAsync(provider);
        const int N = 5000;
        var leads = await s.Meta.CreateLeadsBulkAsync(new BulkLeadsRequest { FormId = s.Form.Id, Count = N });
        var clock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(leads.Ids.Chunk(50), new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (chunk, _) =>
        {
            using var r = await s.PostWebhookAsync(CaptureScenario.LeadgenBody(chunk.Select(id => (s.Page.Id, s.Form.Id, id))));
            r.EnsureSuccessStatusCode();
        });
        await Eventually.ReturnsAsync(() => s.LeadCountAsync(), n => n >= N, TimeSpan.FromSeconds(120), "stored");
        var stored = clock.Elapsed;
        await Eventually.ReturnsAsync(() => s.Leadwire.QueryAsync(db => db.Leads.CountAsync(l => l.ContactId != null)), n => n >= N, TimeSpan.FromSeconds(120), "linked");
        var linked = clock.Elapsed;
        var events = await s.Leadwire.QueryAsync(db => db.LeadEvents.CountAsync());
        var contacts = await s.Leadwire.QueryAsync(db => db.Contacts.CountAsync());
        output.WriteLine($"{provider}: stored {N} in {stored.TotalSeconds:0.0}s ({N / stored.TotalSeconds:0}/s); linked by {linked.TotalSeconds:0.0}s; events {events}; contacts {contacts}");
    }
}
