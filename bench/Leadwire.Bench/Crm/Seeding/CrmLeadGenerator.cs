using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Leadwire.Features.Contacts;

namespace Leadwire.Bench.Crm.Seeding;

/// <summary>A seeded lead the measurements look up: by email, by phone, and as a detail request.</summary>
public sealed record CrmSample(long Id, string Email, string PhoneNormalized);

/// <summary>What the generated data holds, for checking the server's answers and sizing the bulk filter.</summary>
public sealed class CrmSeedFacts
{
    public long Leads { get; set; }
    public long LiveLeads { get; set; }
    public long DeletedLeads { get; set; }
    public long AssignedLeads { get; set; }
    public long TaggedLeads { get; set; }
    public long Tags { get; set; }
    public long Events { get; set; }
    public long Contacts { get; set; }

    /// <summary>Live leads with status New, per page (index = page id − 1): the bulk phase's filter matches one page's.</summary>
    public long[] NewLiveByPage { get; } = new long[CrmWorkspace.PageCount];

    public Dictionary<string, long> ByStatus { get; } = [];
}

/// <summary>
/// Generates the leads of the seeded workspace, oldest first (ids and created_time rise together, as captured leads
/// do), deterministically: the same count gives the same rows. Realistic enough for the planner and the payloads:
/// names (some non-ASCII), emails and phones of ~92% distinct people (the rest come back with the same email and
/// phone), Meta's answers with two custom ones, the raw Graph node, statuses spread over the workflow with their
/// timestamps and timeline events, one contact per person, ~10% assigned to the agents, scores 0–100 with reasons, tags on ~12%, a few test
/// and soft-deleted leads. The SLA breach of a new lead past the first-contact SLA is filled in, as the server's
/// sweep would have recorded it long ago.
/// </summary>
public sealed class CrmLeadGenerator(CrmWorkspace workspace, int count, DateTime nowUtc)
{
    private const int Seed = 20_261_122;
    private const int SampleCount = 1_000;

    private static readonly (string Display, string Ascii)[] FirstNames =
    [
        ("James", "james"), ("Mary", "mary"), ("Robert", "robert"), ("Patricia", "patricia"), ("John", "john"), ("Jennifer", "jennifer"),
        ("Michael", "michael"), ("Linda", "linda"), ("David", "david"), ("Elizabeth", "elizabeth"), ("William", "william"),
        ("Barbara", "barbara"), ("Richard", "richard"), ("Susan", "susan"), ("Joseph", "joseph"), ("Jessica", "jessica"),
        ("Thomas", "thomas"), ("Sarah", "sarah"), ("Christopher", "christopher"), ("Karen", "karen"), ("Daniel", "daniel"),
        ("Lisa", "lisa"), ("Matthew", "matthew"), ("Nancy", "nancy"), ("Anthony", "anthony"), ("Betty", "betty"), ("Mark", "mark"),
        ("Sandra", "sandra"), ("Steven", "steven"), ("Ashley", "ashley"), ("Kevin", "kevin"), ("Emily", "emily"), ("Brian", "brian"),
        ("Michelle", "michelle"), ("George", "george"), ("Amanda", "amanda"), ("Luis", "luis"), ("Sofia", "sofia"), ("Wei", "wei"),
        ("Priya", "priya"), ("María", "maria"), ("José", "jose"), ("Zoë", "zoe"), ("Jürgen", "juergen"), ("Ayşe", "ayse"),
        ("Renée", "renee"), ("Søren", "soren"), ("Chloé", "chloe"), ("François", "francois"), ("Łukasz", "lukasz"),
    ];

    private static readonly (string Display, string Ascii)[] LastNames =
    [
        ("Smith", "smith"), ("Johnson", "johnson"), ("Williams", "williams"), ("Brown", "brown"), ("Jones", "jones"), ("Garcia", "garcia"),
        ("Miller", "miller"), ("Davis", "davis"), ("Rodriguez", "rodriguez"), ("Martinez", "martinez"), ("Hernandez", "hernandez"),
        ("Lopez", "lopez"), ("Gonzalez", "gonzalez"), ("Wilson", "wilson"), ("Anderson", "anderson"), ("Thomas", "thomas"),
        ("Taylor", "taylor"), ("Moore", "moore"), ("Jackson", "jackson"), ("Martin", "martin"), ("Lee", "lee"), ("Perez", "perez"),
        ("Thompson", "thompson"), ("White", "white"), ("Harris", "harris"), ("Sanchez", "sanchez"), ("Clark", "clark"),
        ("Ramirez", "ramirez"), ("Lewis", "lewis"), ("Robinson", "robinson"), ("Walker", "walker"), ("Young", "young"),
        ("Allen", "allen"), ("King", "king"), ("Wright", "wright"), ("Scott", "scott"), ("Nguyen", "nguyen"), ("Patel", "patel"),
        ("Kim", "kim"), ("Chen", "chen"), ("Müller", "mueller"), ("Çelik", "celik"), ("Núñez", "nunez"), ("Østergaard", "ostergaard"),
        ("Dubois", "dubois"), ("Kowalski", "kowalski"), ("O'Brien", "obrien"), ("van der Berg", "vanderberg"), ("Yılmaz", "yilmaz"),
        ("Rossi", "rossi"),
    ];

    private static readonly string[] Domains = ["gmail.com", "yahoo.com", "outlook.com", "hotmail.com", "icloud.com", "aol.com", "proton.me", "comcast.net"];

    private static readonly (string City, string State, string Zip, string Area)[] Places =
    [
        ("Austin", "TX", "78701", "512"), ("Dallas", "TX", "75201", "214"), ("Houston", "TX", "77002", "713"), ("Denver", "CO", "80202", "303"),
        ("Phoenix", "AZ", "85004", "602"), ("Seattle", "WA", "98101", "206"), ("Portland", "OR", "97201", "503"), ("Chicago", "IL", "60601", "312"),
        ("Atlanta", "GA", "30303", "404"), ("Miami", "FL", "33130", "305"), ("Tampa", "FL", "33602", "813"), ("Boston", "MA", "02108", "617"),
        ("Columbus", "OH", "43215", "614"), ("Nashville", "TN", "37201", "615"), ("Charlotte", "NC", "28202", "704"), ("San Diego", "CA", "92101", "619"),
        ("Sacramento", "CA", "95814", "916"), ("Las Vegas", "NV", "89101", "702"), ("Minneapolis", "MN", "55401", "612"), ("Raleigh", "NC", "27601", "919"),
    ];

    private static readonly string[] Models = ["Aurora SUV", "Aurora Hybrid", "Metro hatchback", "Ranger pickup", "Vista sedan", "Vista EV", "Summit 7-seater"];
    private static readonly string[] Timeframes = ["this_week", "this_month", "in_3_months", "just_looking"];
    private static readonly string[] TagNames = ["vip", "callback", "spanish", "fleet", "trade-in", "financing", "hot"];
    private static readonly string[] DisqualifyReasons = ["No budget", "Wrong number", "Bought elsewhere", "Duplicate", "Outside our area"];
    private static readonly string[] ArchiveReasons = ["No answer after 5 attempts", "Asked not to be contacted", "Old lead"];

    // Weights of the statuses (per mille): most leads still new or just contacted, some further along.
    private static readonly (string Status, int PerMille)[] Statuses =
        [("New", 400), ("Contacted", 250), ("Qualified", 120), ("Converted", 80), ("Disqualified", 100), ("Archived", 50)];

    private static readonly (string Factor, int Max, string Explanation)[] Factors =
    [
        ("contact_completeness", 30, "Name, email and phone given"),
        ("freshness", 20, "Submitted recently"),
        ("interest", 25, "Named a model and a timeframe"),
        ("engagement", 15, "Answered calls and emails"),
        ("recency", 10, "Worked on recently"),
    ];

    private readonly ArrayBufferWriter<byte> _json = new(2048);
    private readonly List<CrmSample> _samples = [];

    public CrmSeedFacts Facts { get; } = new();

    /// <summary>About a thousand live leads spread over the whole table (filled while generating).</summary>
    public IReadOnlyList<CrmSample> Samples => _samples;

    public int Count => count;

    /// <summary>
    /// The rows in id order. The same <see cref="CrmLead"/> instance is yielded every time, refilled: the seeders
    /// write each row before asking for the next, which keeps a million rows out of memory.
    /// </summary>
    public IEnumerable<CrmLead> Generate()
    {
        var random = new Random(Seed);
        var lead = new CrmLead { WorkspaceId = workspace.WorkspaceId };
        var span = TimeSpan.FromDays(365);
        var start = nowUtc - span;
        var step = span / count;
        var sampleEvery = Math.Max(1, count / SampleCount);
        // People who come back submit another lead with the same email and phone (contacts link them).
        var recentPeople = new (int First, int Last, long Person, int Place)[4096];
        long people = 0;

        for (var i = 1; i <= count; i++)
        {
            var created = Truncate(start + (step * (i - 1)) + TimeSpan.FromMilliseconds(random.Next((int)Math.Max(1, step.TotalMilliseconds))));
            var isSample = i % sampleEvery == 0;

            (int First, int Last, long Person, int Place) person;
            if (people > 100 && !isSample && random.Next(100) < 8)
            {
                person = recentPeople[random.Next((int)Math.Min(people, recentPeople.Length))];
                lead.ContactIsNew = false;
            }
            else
            {
                person = (random.Next(FirstNames.Length), random.Next(LastNames.Length), people, random.Next(Places.Length));
                recentPeople[people % recentPeople.Length] = person;
                people++;
                lead.ContactIsNew = true;
            }
            lead.ContactId = person.Person + 1;

            var page = workspace.Pages[random.Next(workspace.Pages.Count)];
            var form = workspace.Forms[(int)((page.Id - 1) * CrmWorkspace.FormsPerPage) + random.Next(CrmWorkspace.FormsPerPage)];
            lead.Id = i;
            lead.MetaLeadId = (9_000_000_000_000_000L + i).ToString(CultureInfo.InvariantCulture);
            lead.PageId = page.Id;
            lead.FormId = form.Id;
            lead.MetaPageId = page.MetaPageId;
            lead.MetaFormId = form.MetaFormId;
            lead.IsOrganic = random.Next(100) < 3;
            var ad = lead.IsOrganic ? null : workspace.Ads[random.Next(workspace.Ads.Count)];
            lead.AdId = ad?.AdId;
            lead.AdName = ad?.AdName;
            lead.AdsetId = ad?.AdsetId;
            lead.AdsetName = ad?.AdsetName;
            lead.CampaignId = ad?.CampaignId;
            lead.CampaignName = ad?.CampaignName;
            lead.Platform = random.Next(100) < 70 ? "fb" : "ig";
            lead.IsTest = !isSample && random.Next(1000) < 3;
            lead.CreatedTime = created;
            lead.StoredAt = created + TimeSpan.FromMilliseconds(300 + random.Next(2_700));
            lead.Source = random.Next(100) < 97 ? "Webhook" : "Reconciliation";

            FillPerson(lead, person, random);
            lead.AnswersJson = JsonSerializer.Serialize(new Dictionary<string, string>
            {
                ["full_name"] = lead.FullName,
                ["email"] = lead.Email,
                ["phone_number"] = lead.Phone,
                ["city"] = lead.City,
                ["preferred_model"] = Models[random.Next(Models.Length)],
                ["purchase_timeframe"] = Timeframes[random.Next(Timeframes.Length)],
            });
            lead.RawJson = RawJson(lead);

            FillWork(lead, random, isSample);
            FillScore(lead, random);
            FillTags(lead, random);
            // The intake's first timeline line, written with the lead (Features/Leads/LeadIntake.cs).
            var source = lead.Source == "Webhook" ? "webhook" : "reconciliation";
            lead.Events.Insert(0, new CrmLeadEvent("created", null, lead.Source == "Webhook" ? "meta" : "reconciliation", lead.StoredAt,
                string.Create(CultureInfo.InvariantCulture, $"{{\"source\":\"{source}\",\"score\":{lead.Score}}}")));

            lead.DeletedAt = !isSample && random.Next(1000) < 5 ? lead.StoredAt + TimeSpan.FromDays(1 + random.Next(20)) : null;
            if (lead.DeletedAt > nowUtc)
            {
                lead.DeletedAt = null;
            }
            Tally(lead);
            if (isSample && lead.DeletedAt is null && _samples.Count < SampleCount)
            {
                _samples.Add(new CrmSample(lead.Id, lead.Email, lead.PhoneNormalized!));
            }
            yield return lead;
        }
    }

    private static void FillPerson(CrmLead lead, (int First, int Last, long Person, int Place) person, Random random)
    {
        var (first, firstAscii) = FirstNames[person.First];
        var (last, lastAscii) = LastNames[person.Last];
        var place = Places[person.Place];
        lead.FirstName = first;
        lead.LastName = last;
        lead.FullName = $"{first} {last}";
        var domain = Domains[(int)(person.Person % Domains.Length)];
        var email = string.Create(CultureInfo.InvariantCulture, $"{firstAscii}.{lastAscii}{person.Person}@{domain}");
        // Some people type their address capitalised; the normalised key is lower-case either way.
        lead.Email = random.Next(10) == 0 ? char.ToUpperInvariant(email[0]) + email[1..] : email;
        // A distinct 7-digit local number per person (7919 is prime to 10^7, so this is a bijection).
        var local = ((person.Person * 7_919) + 1_234_567) % 10_000_000;
        var digits = string.Create(CultureInfo.InvariantCulture, $"{place.Area}{local:D7}");
        // Meta sends what people typed, mostly E.164; both forms normalise to 1 + area + number.
        lead.Phone = random.Next(100) < 85 ? "+1" + digits : $"+1 {digits[..3]}-{digits[3..6]}-{digits[6..]}";
        lead.City = place.City;
        lead.State = place.State;
        lead.Zip = place.Zip;
        lead.ContactName = ContactKeys.DisplayName(lead.FullName);
        lead.EmailNormalized = ContactKeys.NormaliseEmail(lead.Email);
        lead.PhoneNormalized = ContactKeys.NormalisePhone(lead.Phone);
        lead.NameNormalized = ContactKeys.NormaliseName(lead.FullName);
    }

    private void FillWork(CrmLead lead, Random random, bool isSample)
    {
        lead.Events.Clear();
        var roll = random.Next(1000);
        var status = "New";
        foreach (var (name, perMille) in Statuses)
        {
            if (roll < perMille)
            {
                status = name;
                break;
            }
            roll -= perMille;
        }

        // Samples stay new: the bulk phase moves only the leads of one page, so their status does not matter, but
        // the search must find them whatever happened; and new leads are what people look up most.
        if (isSample)
        {
            status = "New";
        }

        lead.Status = status;
        lead.StatusReason = status switch
        {
            "Disqualified" => DisqualifyReasons[random.Next(DisqualifyReasons.Length)],
            "Archived" => ArchiveReasons[random.Next(ArchiveReasons.Length)],
            _ => null,
        };

        lead.AssigneeUserId = null;
        lead.AssignedAt = null;
        if (random.Next(100) < 10)
        {
            var agent = workspace.Agents[random.Next(workspace.Agents.Count)];
            lead.AssigneeUserId = agent.UserId;
            lead.AssignedAt = Until(lead.StoredAt + TimeSpan.FromMinutes(1 + random.Next(30)));
            lead.Events.Add(new CrmLeadEvent("assigned", workspace.OwnerUserId, workspace.OwnerEmail, lead.AssignedAt.Value,
                string.Create(CultureInfo.InvariantCulture, $$"""{"assignee_user_id":{{agent.UserId}},"assignee":"{{agent.Email}}"}""")));
        }

        var (actorId, actor) = lead.AssigneeUserId is { } assignee
            ? (assignee, workspace.Agents.First(a => a.UserId == assignee).Email)
            : (workspace.OwnerUserId, workspace.OwnerEmail);
        lead.ContactedAt = lead.QualifiedAt = lead.ConvertedAt = lead.StatusChangedAt = null;
        var at = lead.AssignedAt ?? lead.StoredAt;
        string[] path = status switch
        {
            "New" => [],
            "Contacted" => ["Contacted"],
            "Qualified" => ["Contacted", "Qualified"],
            "Converted" => ["Contacted", "Qualified", "Converted"],
            _ => random.Next(2) == 0 ? [status] : ["Contacted", status],
        };
        var from = "new";
        foreach (var to in path)
        {
            at = Until(at + TimeSpan.FromMinutes(5 + random.Next(3 * 24 * 60)));
            switch (to)
            {
                case "Contacted":
                    lead.ContactedAt = at;
                    break;
                case "Qualified":
                    lead.QualifiedAt = at;
                    break;
                case "Converted":
                    lead.ConvertedAt = at;
                    break;
                default:
                    // Disqualifying or archiving is a first contact too when it is the first move.
                    lead.ContactedAt ??= at;
                    break;
            }
            lead.StatusChangedAt = at;
            var toName = to.ToLowerInvariant();
            lead.Events.Add(new CrmLeadEvent("status_changed", actorId, actor, at,
                to == status && lead.StatusReason is { } reason
                    ? $$"""{"from":"{{from}}","to":"{{toName}}","reason":"{{reason}}"}"""
                    : $$"""{"from":"{{from}}","to":"{{toName}}"}"""));
            from = toName;
        }

        lead.SlaBreachedAt = lead.ContactedAt is null && !lead.IsTest && nowUtc - lead.CreatedTime > CrmWorkspace.FirstContactSla
            ? lead.CreatedTime + CrmWorkspace.FirstContactSla
            : null;
        lead.UpdatedAt = lead.StatusChangedAt ?? lead.AssignedAt;
    }

    private void FillScore(CrmLead lead, Random random)
    {
        // Roughly bell-shaped around 50: the sum of three uniform draws.
        var score = Math.Clamp((random.Next(35) + random.Next(35) + random.Next(35)) - 2, 0, 100);
        lead.Score = score;
        lead.ScoredAt = lead.UpdatedAt ?? lead.StoredAt;
        _json.ResetWrittenCount();
        using var writer = new Utf8JsonWriter(_json);
        writer.WriteStartArray();
        var left = score;
        foreach (var (factor, max, explanation) in Factors)
        {
            var points = Math.Min(max, Math.Min(left, (int)Math.Round(score * max / 100.0)));
            left -= points;
            writer.WriteStartObject();
            writer.WriteString("factor", factor);
            writer.WriteNumber("points", points);
            writer.WriteNumber("max_points", max);
            writer.WriteString("explanation", explanation);
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
        writer.Flush();
        lead.ScoreReasonsJson = Encoding.UTF8.GetString(_json.WrittenSpan);
    }

    private static void FillTags(CrmLead lead, Random random)
    {
        lead.Tags.Clear();
        if (random.Next(100) < 12)
        {
            var first = random.Next(TagNames.Length);
            lead.Tags.Add(TagNames[first]);
            if (random.Next(4) == 0)
            {
                lead.Tags.Add(TagNames[(first + 1 + random.Next(TagNames.Length - 1)) % TagNames.Length]);
            }
        }
    }

    /// <summary>The Lead node as the Graph API returns it (the fields the server asks for), kept whole in raw_json.</summary>
    private string RawJson(CrmLead lead)
    {
        _json.ResetWrittenCount();
        using var writer = new Utf8JsonWriter(_json);
        writer.WriteStartObject();
        writer.WriteString("id", lead.MetaLeadId);
        writer.WriteString("created_time", lead.CreatedTime.ToString("yyyy-MM-dd'T'HH:mm:ss'+0000'", CultureInfo.InvariantCulture));
        writer.WriteString("form_id", lead.MetaFormId);
        if (lead.AdId is not null)
        {
            writer.WriteString("ad_id", lead.AdId);
            writer.WriteString("ad_name", lead.AdName);
            writer.WriteString("adset_id", lead.AdsetId);
            writer.WriteString("adset_name", lead.AdsetName);
            writer.WriteString("campaign_id", lead.CampaignId);
            writer.WriteString("campaign_name", lead.CampaignName);
        }
        writer.WriteBoolean("is_organic", lead.IsOrganic);
        writer.WriteString("platform", lead.Platform);
        writer.WriteStartArray("field_data");
        using (var answers = JsonDocument.Parse(lead.AnswersJson))
        {
            foreach (var answer in answers.RootElement.EnumerateObject())
            {
                writer.WriteStartObject();
                writer.WriteString("name", answer.Name);
                writer.WriteStartArray("values");
                writer.WriteStringValue(answer.Value.GetString());
                writer.WriteEndArray();
                writer.WriteEndObject();
            }
        }
        writer.WriteEndArray();
        writer.WriteEndObject();
        writer.Flush();
        return Encoding.UTF8.GetString(_json.WrittenSpan);
    }

    private void Tally(CrmLead lead)
    {
        var facts = Facts;
        facts.Leads++;
        if (lead.ContactIsNew)
        {
            facts.Contacts++;
        }
        facts.Events += lead.Events.Count;
        facts.Tags += lead.Tags.Count;
        if (lead.Tags.Count > 0)
        {
            facts.TaggedLeads++;
        }
        if (lead.AssigneeUserId is not null)
        {
            facts.AssignedLeads++;
        }
        if (lead.DeletedAt is not null)
        {
            facts.DeletedLeads++;
            return;
        }
        facts.LiveLeads++;
        facts.ByStatus[lead.Status] = facts.ByStatus.GetValueOrDefault(lead.Status) + 1;
        if (lead.Status == "New")
        {
            facts.NewLiveByPage[lead.PageId - 1]++;
        }
    }

    /// <summary>Nothing happens after "now": later work is cut to the present.</summary>
    private DateTime Until(DateTime at) => at > nowUtc ? nowUtc : at;

    /// <summary>Millisecond precision: what both providers keep exactly (PostgreSQL stores microseconds).</summary>
    private static DateTime Truncate(DateTime at) => new(at.Ticks - (at.Ticks % TimeSpan.TicksPerMillisecond), DateTimeKind.Utc);
}
