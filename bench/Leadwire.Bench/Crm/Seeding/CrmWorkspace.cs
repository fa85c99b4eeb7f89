using System.Globalization;
using System.Text.Json;

namespace Leadwire.Bench.Crm.Seeding;

/// <summary>A Facebook page of the seeded workspace (ids fixed: the tables are empty when it is inserted).</summary>
public sealed record CrmPage(long Id, string MetaPageId, string Name);

/// <summary>A lead form of one of those pages, with Meta's questions (two of them custom).</summary>
public sealed record CrmForm(long Id, long PageId, string MetaPageId, string MetaFormId, string Name, string QuestionsJson);

/// <summary>An ad with its ad set and campaign, as a lead's attribution columns carry them.</summary>
public sealed record CrmAd(string AdId, string AdName, string AdsetId, string AdsetName, string CampaignId, string CampaignName);

/// <summary>An agent of the workspace (inserted by the seeder; its id comes from the database).</summary>
public sealed record CrmAgent(long UserId, string Email);

/// <summary>
/// The seeded workspace: a car dealer group with a few pages, forms on each, campaigns with ad sets and ads, an owner
/// (the bootstrap account) and a handful of agents. Everything but the agents' ids is fixed, so two runs seed the
/// same data.
/// </summary>
public sealed class CrmWorkspace
{
    public const int PageCount = 4;
    public const int FormsPerPage = 3;
    public const int CampaignCount = 8;
    public const int AdsetsPerCampaign = 2;
    public const int AdsPerAdset = 3;
    public const int AgentCount = 5;

    /// <summary>The workspace's first-contact SLA (the default): a new lead older than this has its breach recorded.</summary>
    public static readonly TimeSpan FirstContactSla = TimeSpan.FromMinutes(60);

    private static readonly string[] PageNames = ["Northside Motors", "Lakeside Auto Group", "Riverside Cars", "Hilltop Motor Co."];
    private static readonly string[] FormNames = ["Test drive", "Trade-in valuation", "Finance pre-approval"];

    public CrmWorkspace(long workspaceId, long ownerUserId, string ownerEmail, IReadOnlyList<CrmAgent> agents)
    {
        WorkspaceId = workspaceId;
        OwnerUserId = ownerUserId;
        OwnerEmail = ownerEmail;
        Agents = agents;
        Pages = [.. Enumerable.Range(1, PageCount).Select(i => new CrmPage(i, Id("110000000000", i), PageNames[i - 1]))];
        Forms = [.. Pages.SelectMany(p => Enumerable.Range(1, FormsPerPage).Select(f =>
        {
            var id = ((p.Id - 1) * FormsPerPage) + f;
            return new CrmForm(id, p.Id, p.MetaPageId, Id("220000000000", (int)id), $"{FormNames[f - 1]} – {p.Name}", QuestionsJson(id));
        }))];
        var ads = new List<CrmAd>();
        for (var c = 1; c <= CampaignCount; c++)
        {
            for (var s = 1; s <= AdsetsPerCampaign; s++)
            {
                for (var a = 1; a <= AdsPerAdset; a++)
                {
                    var adset = ((c - 1) * AdsetsPerCampaign) + s;
                    var ad = ((adset - 1) * AdsPerAdset) + a;
                    ads.Add(new CrmAd(
                        Id("238500000", ad), $"Ad {ad} – {(a % 2 == 0 ? "carousel" : "video")}",
                        Id("238400000", adset), $"Ad set {adset} – {(s == 1 ? "25-44" : "45-65")}",
                        Id("238300000", c), $"Campaign {c} – {CampaignThemes[(c - 1) % CampaignThemes.Length]}"));
                }
            }
        }
        Ads = ads;
    }

    private static readonly string[] CampaignThemes = ["Spring sale", "SUV launch", "Hybrid week", "Trade-in bonus", "0% finance", "Summer clearance"];

    public long WorkspaceId { get; }
    public long OwnerUserId { get; }
    public string OwnerEmail { get; }
    public IReadOnlyList<CrmAgent> Agents { get; }
    public IReadOnlyList<CrmPage> Pages { get; }
    public IReadOnlyList<CrmForm> Forms { get; }
    public IReadOnlyList<CrmAd> Ads { get; }

    /// <summary>Emails of the agents the seeder creates (users + memberships with role Agent).</summary>
    public static IReadOnlyList<string> AgentEmails { get; } =
        [.. Enumerable.Range(1, AgentCount).Select(i => string.Create(CultureInfo.InvariantCulture, $"agent{i}@bench.leadwire.local"))];

    private static string Id(string prefix, int number) => prefix + number.ToString("D4", CultureInfo.InvariantCulture);

    /// <summary>The form's questions as Meta returns them (key, label, type), stored by the server in forms.questions_json.</summary>
    private static string QuestionsJson(long formId) => JsonSerializer.Serialize(new object[]
    {
        new { key = "full_name", label = "Full name", type = "FULL_NAME", id = $"{formId}1" },
        new { key = "email", label = "Email", type = "EMAIL", id = $"{formId}2" },
        new { key = "phone_number", label = "Phone number", type = "PHONE", id = $"{formId}3" },
        new { key = "city", label = "City", type = "CITY", id = $"{formId}4" },
        new { key = "preferred_model", label = "Which model are you interested in?", type = "CUSTOM", id = $"{formId}5" },
        new { key = "purchase_timeframe", label = "When do you plan to buy?", type = "CUSTOM", id = $"{formId}6" },
    });
}
