namespace Leadwire.Bench.Crm.Seeding;

/// <summary>
/// One generated row of <c>leads</c>, every column the server reads (src/Leadwire.Server/Data/Lead.cs), plus the
/// lead's tags and timeline events. Times are UTC. Reused between rows by the generator: copy what you keep.
/// </summary>
public sealed class CrmLead
{
    public long Id { get; set; }
    public string MetaLeadId { get; set; } = "";
    public long WorkspaceId { get; set; }
    public long PageId { get; set; }
    public long FormId { get; set; }
    public string MetaPageId { get; set; } = "";
    public string MetaFormId { get; set; } = "";
    public string? AdId { get; set; }
    public string? AdName { get; set; }
    public string? AdsetId { get; set; }
    public string? AdsetName { get; set; }
    public string? CampaignId { get; set; }
    public string? CampaignName { get; set; }
    public string Platform { get; set; } = "fb";
    public bool IsOrganic { get; set; }
    public bool IsTest { get; set; }
    public DateTime CreatedTime { get; set; }
    public string FullName { get; set; } = "";
    public string FirstName { get; set; } = "";
    public string LastName { get; set; } = "";
    public string Email { get; set; } = "";
    public string Phone { get; set; } = "";
    public string City { get; set; } = "";
    public string State { get; set; } = "";
    public string Zip { get; set; } = "";
    public string Country { get; set; } = "US";
    public string AnswersJson { get; set; } = "{}";
    public string RawJson { get; set; } = "{}";
    public string Source { get; set; } = "Webhook";
    public DateTime StoredAt { get; set; }

    /// <summary>The LeadStatus name as EF Core stores it ("New", "Contacted"…).</summary>
    public string Status { get; set; } = "New";
    public string? StatusReason { get; set; }
    public DateTime? StatusChangedAt { get; set; }
    public DateTime? ContactedAt { get; set; }
    public DateTime? QualifiedAt { get; set; }
    public DateTime? ConvertedAt { get; set; }
    public long? AssigneeUserId { get; set; }
    public DateTime? AssignedAt { get; set; }
    public int Score { get; set; }
    public string ScoreReasonsJson { get; set; } = "[]";
    public DateTime ScoredAt { get; set; }
    public string? EmailNormalized { get; set; }
    public string? PhoneNormalized { get; set; }
    public string? NameNormalized { get; set; }
    public DateTime? SlaBreachedAt { get; set; }
    public DateTime? DeletedAt { get; set; }
    public DateTime? UpdatedAt { get; set; }

    /// <summary>The person's contact: one per distinct person, as the server's contact linking makes them.</summary>
    public long ContactId { get; set; }

    /// <summary>True on the person's first lead: the contact row is written with it.</summary>
    public bool ContactIsNew { get; set; }

    /// <summary>The contact's name (the first lead's full name as written).</summary>
    public string? ContactName { get; set; }

    public List<string> Tags { get; } = [];

    /// <summary>Timeline rows: created, then assignment and status changes (type, when, data_json).</summary>
    public List<CrmLeadEvent> Events { get; } = [];
}

/// <summary>A lead_events row of a seeded lead (the actor is the workspace's owner or an agent).</summary>
public sealed record CrmLeadEvent(string Type, long? ActorUserId, string Actor, DateTime At, string DataJson);

/// <summary>How a column's value goes to the database: SQLite and PostgreSQL store these differently.</summary>
public enum CrmColumnKind
{
    /// <summary>bigint: ids.</summary>
    Id,

    /// <summary>integer: the score.</summary>
    Number,
    Text,
    Bool,
    Time,
}

/// <summary>One column of <c>leads</c> and how to read it off a generated row.</summary>
public sealed record CrmColumn(string Name, CrmColumnKind Kind, Func<CrmLead, object?> Value)
{
    /// <summary>
    /// Every column the bench writes, in one order for both providers. Columns it leaves out take their defaults or
    /// NULL: street_address, company_name, job_title, disclaimer_responses_json, partner_name, erased_at.
    /// </summary>
    public static IReadOnlyList<CrmColumn> Leads { get; } =
    [
        new("id", CrmColumnKind.Id, l => l.Id),
        new("meta_lead_id", CrmColumnKind.Text, l => l.MetaLeadId),
        new("workspace_id", CrmColumnKind.Id, l => l.WorkspaceId),
        new("page_id", CrmColumnKind.Id, l => l.PageId),
        new("form_id", CrmColumnKind.Id, l => l.FormId),
        new("meta_page_id", CrmColumnKind.Text, l => l.MetaPageId),
        new("meta_form_id", CrmColumnKind.Text, l => l.MetaFormId),
        new("ad_id", CrmColumnKind.Text, l => l.AdId),
        new("ad_name", CrmColumnKind.Text, l => l.AdName),
        new("adset_id", CrmColumnKind.Text, l => l.AdsetId),
        new("adset_name", CrmColumnKind.Text, l => l.AdsetName),
        new("campaign_id", CrmColumnKind.Text, l => l.CampaignId),
        new("campaign_name", CrmColumnKind.Text, l => l.CampaignName),
        new("platform", CrmColumnKind.Text, l => l.Platform),
        new("is_organic", CrmColumnKind.Bool, l => l.IsOrganic),
        new("is_test", CrmColumnKind.Bool, l => l.IsTest),
        new("created_time", CrmColumnKind.Time, l => l.CreatedTime),
        new("full_name", CrmColumnKind.Text, l => l.FullName),
        new("first_name", CrmColumnKind.Text, l => l.FirstName),
        new("last_name", CrmColumnKind.Text, l => l.LastName),
        new("email", CrmColumnKind.Text, l => l.Email),
        new("phone", CrmColumnKind.Text, l => l.Phone),
        new("city", CrmColumnKind.Text, l => l.City),
        new("state", CrmColumnKind.Text, l => l.State),
        new("zip", CrmColumnKind.Text, l => l.Zip),
        new("country", CrmColumnKind.Text, l => l.Country),
        new("answers_json", CrmColumnKind.Text, l => l.AnswersJson),
        new("raw_json", CrmColumnKind.Text, l => l.RawJson),
        new("source", CrmColumnKind.Text, l => l.Source),
        new("stored_at", CrmColumnKind.Time, l => l.StoredAt),
        new("status", CrmColumnKind.Text, l => l.Status),
        new("status_reason", CrmColumnKind.Text, l => l.StatusReason),
        new("status_changed_at", CrmColumnKind.Time, l => l.StatusChangedAt),
        new("contacted_at", CrmColumnKind.Time, l => l.ContactedAt),
        new("qualified_at", CrmColumnKind.Time, l => l.QualifiedAt),
        new("converted_at", CrmColumnKind.Time, l => l.ConvertedAt),
        new("assignee_user_id", CrmColumnKind.Id, l => l.AssigneeUserId),
        new("assigned_at", CrmColumnKind.Time, l => l.AssignedAt),
        new("score", CrmColumnKind.Number, l => l.Score),
        new("score_reasons_json", CrmColumnKind.Text, l => l.ScoreReasonsJson),
        new("scored_at", CrmColumnKind.Time, l => l.ScoredAt),
        new("email_normalized", CrmColumnKind.Text, l => l.EmailNormalized),
        new("phone_normalized", CrmColumnKind.Text, l => l.PhoneNormalized),
        new("name_normalized", CrmColumnKind.Text, l => l.NameNormalized),
        new("sla_breached_at", CrmColumnKind.Time, l => l.SlaBreachedAt),
        new("deleted_at", CrmColumnKind.Time, l => l.DeletedAt),
        new("updated_at", CrmColumnKind.Time, l => l.UpdatedAt),
        new("contact_id", CrmColumnKind.Id, l => l.ContactId),
    ];
}
