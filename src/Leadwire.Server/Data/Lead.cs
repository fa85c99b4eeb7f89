using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Leadwire.Data;

/// <summary>A Lead Ads submission as retrieved from the Graph API, with its standard answers mapped to columns.</summary>
public sealed class Lead
{
    public long Id { get; set; }
    public required string MetaLeadId { get; set; }
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
