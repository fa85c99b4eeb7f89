using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Leadwire.Data;

/// <summary>One person across leads: leads with the same normalised email or phone in a workspace share a contact.</summary>
public sealed class Contact
{
    public long Id { get; set; }
    public long WorkspaceId { get; set; }
    public string? EmailNormalized { get; set; }
    public string? PhoneNormalized { get; set; }
    public string? Name { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
}

internal sealed class ContactConfiguration : IEntityTypeConfiguration<Contact>
{
    public void Configure(EntityTypeBuilder<Contact> builder)
    {
        builder.ToTable("contacts");
        builder.HasKey(c => c.Id);
        builder.Property(c => c.EmailNormalized).HasMaxLength(256);
        builder.Property(c => c.PhoneNormalized).HasMaxLength(32);
        builder.Property(c => c.Name).HasMaxLength(256);
        builder.HasIndex(c => new { c.WorkspaceId, c.EmailNormalized });
        builder.HasIndex(c => new { c.WorkspaceId, c.PhoneNormalized });
        builder.HasOne<Workspace>().WithMany().HasForeignKey(c => c.WorkspaceId).OnDelete(DeleteBehavior.Cascade);
    }
}
