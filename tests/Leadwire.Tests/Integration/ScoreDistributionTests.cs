using System.Net.Http.Json;
using System.Text.Json;
using Leadwire.Infrastructure;
using Leadwire.MetaEmulator;
using Leadwire.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Leadwire.Tests.Integration;

/// <summary>GET /api/v1/scoring/distribution, the numbers behind the dashboard's scoring chart.</summary>
public sealed class ScoreDistributionTests
{
    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Distribution_LiveLeads_CountsEachBandAndTheAverage(DatabaseProvider provider)
    {
        await using var scenario = await CaptureScenario.StartAsync(provider);
        for (var i = 0; i < 4; i++)
        {
            await scenario.Meta.CreateLeadAsync(new CreateLeadRequest { FormId = scenario.Form.Id, Deliver = true });
        }
        await scenario.WaitForLeadCountAsync(4);
        // Scores are whatever the rules gave; spread them over bands by hand, and delete one lead (not counted).
        var ids = await scenario.Leadwire.QueryAsync(db => db.Leads.OrderBy(l => l.Id).Select(l => l.Id).ToListAsync());
        int[] scores = [5, 42, 47, 100];
        await scenario.Leadwire.QueryAsync(async db =>
        {
            for (var i = 0; i < ids.Count; i++)
            {
                var id = ids[i];
                var score = scores[i];
                await db.Leads.Where(l => l.Id == id).ExecuteUpdateAsync(u => u.SetProperty(l => l.Score, score));
            }
            return await db.Leads.Where(l => l.Id == ids[0]).ExecuteUpdateAsync(u => u.SetProperty(l => l.DeletedAt, TimeProvider.System.GetUtcNow().UtcDateTime));
        });

        var distribution = await scenario.Leadwire.Api.GetFromJsonAsync<JsonElement>("/api/v1/scoring/distribution");

        Assert.Equal(3, distribution.GetProperty("total").GetInt32());
        Assert.Equal(63.0, distribution.GetProperty("average").GetDouble());
        var bands = distribution.GetProperty("bands").EnumerateArray()
            .ToDictionary(b => b.GetProperty("from").GetInt32(), b => b.GetProperty("count").GetInt32());
        Assert.Equal(10, bands.Count);
        Assert.Equal(0, bands[0]);
        Assert.Equal(2, bands[40]);
        Assert.Equal(1, bands[90]);
        Assert.Equal(3, bands.Values.Sum());
    }
}
