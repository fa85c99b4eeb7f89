using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Leadwire.Data;

/// <summary>
/// A person who signs in. Passwords, lockout and security stamps are ASP.NET Core Identity's (through
/// <c>Features.Accounts.UserStore</c>); what a user may do depends on their <see cref="Membership"/> in a workspace.
/// </summary>
public sealed class UserAccount
{
    public long Id { get; set; }
    public required string Email { get; set; }

    /// <summary>Identity's normalised form of the email, the sign-in key (unique).</summary>
    public required string NormalizedEmail { get; set; }

    public string? DisplayName { get; set; }
    public string? PasswordHash { get; set; }
    public required string SecurityStamp { get; set; }
    public int AccessFailedCount { get; set; }
    public bool LockoutEnabled { get; set; } = true;
    public DateTime? LockoutEndUtc { get; set; }

    /// <summary>Language of the messages Leadwire sends this user ("en", "tr").</summary>
    public string Language { get; set; } = "en";

    public DateTime CreatedAt { get; set; }
    public DateTime? LastSignInAt { get; set; }
}

internal sealed class UserAccountConfiguration : IEntityTypeConfiguration<UserAccount>
{
    public void Configure(EntityTypeBuilder<UserAccount> builder)
    {
        builder.ToTable("users");
        builder.HasKey(u => u.Id);
        builder.Property(u => u.Email).HasMaxLength(256);
        builder.Property(u => u.NormalizedEmail).HasMaxLength(256);
        builder.HasIndex(u => u.NormalizedEmail).IsUnique();
        builder.Property(u => u.DisplayName).HasMaxLength(200);
        builder.Property(u => u.SecurityStamp).HasMaxLength(64);
        builder.Property(u => u.Language).HasMaxLength(8);
    }
}
