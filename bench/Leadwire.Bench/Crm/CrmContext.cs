using Leadwire.Bench.Crm.Seeding;
using Leadwire.Bench.Infrastructure;

namespace Leadwire.Bench.Crm;

/// <summary>What every CRM phase works with: the running server and its API, the seeded data and the database.</summary>
public sealed record CrmContext(
    BenchArguments Arguments,
    ChildServer Server,
    CrmApi Api,
    CrmDatabase Database,
    CrmWorkspace Workspace,
    CrmSeedFacts Facts,
    IReadOnlyList<CrmSample> Samples,
    Action<string> Progress)
{
    /// <summary>The list's default page size (Infrastructure/Pagination.cs: Cursor.DefaultLimit), which the bench uses.</summary>
    public const int PageSize = 50;

    /// <summary>The cheap request every latency is put next to: one lead's detail, a primary-key read through the same stack.</summary>
    public string DetailPath(int index) => $"/api/v1/leads/{Samples[index % Samples.Count].Id}";
}
