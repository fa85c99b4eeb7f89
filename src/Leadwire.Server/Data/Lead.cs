using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Leadwire.Data;

/// <summary>A Lead Ads submission as retrieved from the Graph API, with its standard answers mapped to columns.</summary>
public sealed class Lead
{
    public long Id { get; set; }
    public required string MetaLeadId { get; set; }

    /// <summary>The workspace of the page the lead came from.</summary>
    public long WorkspaceId { get; set; }

    public long PageId { get; set; }
    public long? FormId { get; set; }
    public required string MetaPageId { get; set; }
    public string? MetaFormId { get; set; }

    public string? AdId { get; set; }
    public string? AdName { get; set; }
    public string? AdsetId { get; set; }
    public string? AdsetName { get; set; }
    public string? CampaignId { get; set; }
    public string? CampaignName { get; set; }
    public string? Platform { get; set; }
    public string? PartnerName { get; set; }
    public bool IsOrganic { get; set; }
    public bool IsTest { get; set; }

    public DateTime CreatedTime { get; set; }

    public string? FullName { get; set; }
    public string? FirstName { get; set; }
    public string? LastName { get; set; }
    public string? Email { get; set; }
    public string? Phone { get; set; }
    public string? StreetAddress { get; set; }
    public string? City { get; set; }
    public string? State { get; set; }
    public string? Zip { get; set; }
    public string? Country { get; set; }
    public string? CompanyName { get; set; }
    public string? JobTitle { get; set; }

    /// <summary>Every answer keyed by its field_data name, standard and custom alike (JSON object).</summary>
    public required string AnswersJson { get; set; }

    /// <summary>custom_disclaimer_responses as Meta returned them (JSON array), or null.</summary>
    public string? DisclaimerResponsesJson { get; set; }

    /// <summary>The Lead node exactly as Meta returned it.</summary>
    public required string RawJson { get; set; }

    public LeadSource Source { get; set; }
    public DateTime StoredAt { get; set; }

    // --- Working the lead (CRM) ---

    public LeadStatus Status { get; set; } = LeadStatus.New;
    public string? StatusReason { get; set; }
    public DateTime? StatusChangedAt { get; set; }

    /// <summary>First time the lead left New (first contact), kept once set: speed to lead is measured from it.</summary>
    public DateTime? ContactedAt { get; set; }

    public DateTime? QualifiedAt { get; set; }
    public DateTime? ConvertedAt { get; set; }

    public long? AssigneeUserId { get; set; }
    public DateTime? AssignedAt { get; set; }

    /// <summary>0–100 from the workspace's scoring rules; the reasons for every point are in <see cref="ScoreReasonsJson"/>.</summary>
    public int Score { get; set; }
    public string? ScoreReasonsJson { get; set; }
    public DateTime? ScoredAt { get; set; }

    public long? ContactId { get; set; }

    /// <summary>Search keys: lower-cased email, digits-only phone, lower-cased name (see Features.Contacts.ContactKeys).</summary>
    public string? EmailNormalized { get; set; }
    public string? PhoneNormalized { get; set; }
    public string? NameNormalized { get; set; }

    /// <summary>When the first-contact SLA lapsed with the lead still new; recorded once.</summary>
    public DateTime? SlaBreachedAt { get; set; }

    /// <summary>Soft delete: hidden from lists, restorable.</summary>
    public DateTime? DeletedAt { get; set; }

    /// <summary>Personal data removed for good; the row stays so counts (status, dates, attribution) still add up.</summary>
    public DateTime? ErasedAt { get; set; }

    /// <summary>Last change by a person or a rule (not by Meta); recency and "recently updated" sorting use it.</summary>
    public DateTime? UpdatedAt { get; set; }
}

/// <summary>new → contacted → qualified → converted, or disqualified / archived (see Features.Leads.LeadWorkflow).</summary>
public enum LeadStatus
{
    New,
    Contacted,
    Qualified,
    Converted,
    Disqualified,
    Archived,
}

public enum LeadSource
{
    Webhook,
    Reconciliation,
}

internal sealed class LeadConfiguration : IEntityTypeConfiguration<Lead>
{
    public void Configure(EntityTypeBuilder<Lead> builder)
    {
        builder.ToTable("leads");
        builder.HasKey(l => l.Id);
        builder.Property(l => l.MetaLeadId).HasMaxLength(64);
        builder.HasIndex(l => l.MetaLeadId).IsUnique();
        builder.Property(l => l.Status).HasConversion<string>().HasMaxLength(16);
        builder.Property(l => l.StatusReason).HasMaxLength(1024);
        builder.Property(l => l.EmailNormalized).HasMaxLength(256);
        builder.Property(l => l.PhoneNormalized).HasMaxLength(32);
        builder.Property(l => l.NameNormalized).HasMaxLength(256);
        // The list's default order and its usual filters, each ending in the keyset (created_time, id).
        builder.HasIndex(l => new { l.WorkspaceId, l.CreatedTime, l.Id });
        builder.HasIndex(l => new { l.WorkspaceId, l.Status, l.CreatedTime, l.Id });
        builder.HasIndex(l => new { l.WorkspaceId, l.AssigneeUserId, l.CreatedTime, l.Id });
        builder.HasIndex(l => new { l.WorkspaceId, l.Score, l.Id });
        builder.HasIndex(l => new { l.WorkspaceId, l.AssigneeUserId, l.Score, l.Id });
        // Partial indexes (migration 0003): updated leads for the "recently updated" order, soft-deleted ones for
        // the trash list; a query without the condition (the untouched leads, the live list) cannot use them.
        builder.HasIndex(l => new { l.WorkspaceId, l.UpdatedAt, l.Id }, "ix_leads_updated_workspace_id_updated_at_id")
            .HasFilter("updated_at IS NOT NULL");
        builder.HasIndex(l => new { l.WorkspaceId, l.CreatedTime, l.Id }, "ix_leads_deleted_workspace_id_created_time_id")
            .HasFilter("deleted_at IS NOT NULL");
        // Search by email or phone, and (with contact_id, migration 0007) the contact linker's "which contacts
        // already have this key" read straight from the index, however many leads share a key.
        builder.HasIndex(l => new { l.WorkspaceId, l.EmailNormalized, l.ContactId });
        builder.HasIndex(l => new { l.WorkspaceId, l.PhoneNormalized, l.ContactId });
        builder.HasIndex(l => new { l.WorkspaceId, l.NameNormalized });
        builder.HasIndex(l => l.ContactId);
        builder.HasOne<Workspace>().WithMany().HasForeignKey(l => l.WorkspaceId).OnDelete(DeleteBehavior.Restrict);
        builder.Property(l => l.MetaPageId).HasMaxLength(64);
        builder.Property(l => l.MetaFormId).HasMaxLength(64);
        builder.Property(l => l.Source).HasConversion<string>().HasMaxLength(32);
        builder.HasIndex(l => new { l.CreatedTime, l.Id });
        builder.HasIndex(l => new { l.PageId, l.CreatedTime });
        builder.HasIndex(l => new { l.FormId, l.CreatedTime });
        builder.HasOne<Page>().WithMany().HasForeignKey(l => l.PageId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<LeadForm>().WithMany().HasForeignKey(l => l.FormId).OnDelete(DeleteBehavior.SetNull);
    }
}
