using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Leadwire.Data;

/// <summary>A Facebook Page whose leads Leadwire captures, with its access token encrypted at rest.</summary>
public sealed class Page
{
    public long Id { get; set; }

    /// <summary>The one workspace that owns the page; a second workspace claiming it is refused.</summary>
    public long WorkspaceId { get; set; }

    public required string MetaPageId { get; set; }
    public required string Name { get; set; }

    /// <summary>Data Protection ciphertext; never returned by the API, never logged.</summary>
    public required string AccessTokenProtected { get; set; }

    public PageStatus Status { get; set; } = PageStatus.Active;
    public string? StatusReason { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
    public DateTime TokenUpdatedAt { get; set; }
    public DateTime? FormsSyncedAt { get; set; }

    public List<LeadForm> Forms { get; } = [];
}

public enum PageStatus
{
    Active,

    /// <summary>Meta rejected the token (code 190); work for the page is parked until a new token arrives.</summary>
    NeedsReauth,
}

internal sealed class PageConfiguration : IEntityTypeConfiguration<Page>
{
    public void Configure(EntityTypeBuilder<Page> builder)
    {
        builder.ToTable("pages");
        builder.HasKey(p => p.Id);
        builder.Property(p => p.MetaPageId).HasMaxLength(64);
        builder.HasIndex(p => p.MetaPageId).IsUnique();
        builder.HasIndex(p => p.WorkspaceId);
        builder.HasOne<Workspace>().WithMany().HasForeignKey(p => p.WorkspaceId).OnDelete(DeleteBehavior.Restrict);
        builder.Property(p => p.Name).HasMaxLength(256);
        builder.Property(p => p.Status).HasConversion<string>().HasMaxLength(32);
        builder.Property(p => p.StatusReason).HasMaxLength(1024);
    }
}
