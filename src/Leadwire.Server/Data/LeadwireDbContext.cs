using System.Runtime.CompilerServices;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Leadwire.Data;

/// <summary>The one DbContext. The schema itself comes from the versioned SQL migrations, never from EF.</summary>
public sealed class LeadwireDbContext : DbContext
{
    public LeadwireDbContext(DbContextOptions<LeadwireDbContext> options)
        : base(options)
    {
        // Every write here runs in a transaction that is rolled back whole on failure; the savepoint EF would add
        // around each SaveChanges is two more statements on the hot path for nothing.
        Database.AutoSavepointsEnabled = false;
    }

    public DbSet<Page> Pages => Set<Page>();
    public DbSet<LeadForm> Forms => Set<LeadForm>();
    public DbSet<Lead> Leads => Set<Lead>();
    public DbSet<WebhookDelivery> WebhookDeliveries => Set<WebhookDelivery>();
    public DbSet<Job> Jobs => Set<Job>();
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();
    public DbSet<Workspace> Workspaces => Set<Workspace>();
    public DbSet<UserAccount> Users => Set<UserAccount>();
    public DbSet<Membership> Memberships => Set<Membership>();
    public DbSet<ApiToken> ApiTokens => Set<ApiToken>();
    public DbSet<AuditEntry> AuditLog => Set<AuditEntry>();
    public DbSet<LeadEvent> LeadEvents => Set<LeadEvent>();
    public DbSet<LeadTag> LeadTags => Set<LeadTag>();
    public DbSet<Contact> Contacts => Set<Contact>();
    public DbSet<AssignmentRule> AssignmentRules => Set<AssignmentRule>();
    public DbSet<BulkOperation> BulkOperations => Set<BulkOperation>();

    /// <summary>
    /// Leads queued for insertion, per transaction: contexts are pooled, and leads queued by a write that failed
    /// before saving must never be saved by the next transaction (or the next user of this context).
    /// </summary>
    private static readonly ConditionalWeakTable<IDbContextTransaction, List<Lead>> QueuedLeads = [];

    /// <summary>
    /// Adds a new lead to be inserted by the next <see cref="SaveChangesAsync(bool, CancellationToken)"/> of the
    /// current transaction, before the tracked changes and with one statement for all queued leads
    /// (<see cref="LeadInserts"/>). The lead is not tracked; it has its id after the save.
    /// </summary>
    public void QueueLeadInsert(Lead lead)
    {
        ArgumentNullException.ThrowIfNull(lead);
        var transaction = Database.CurrentTransaction ?? throw new InvalidOperationException("Queue leads inside a transaction.");
        QueuedLeads.GetOrCreateValue(transaction).Add(lead);
    }

    public override async Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        var inserted = 0;
        if (Database.CurrentTransaction is { } transaction && QueuedLeads.TryGetValue(transaction, out var leads) && leads.Count > 0)
        {
            await LeadInserts.InsertAsync(this, leads, cancellationToken);
            inserted = leads.Count;
            leads.Clear();
        }
        return inserted + await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // SQLite hands DateTime back as Unspecified; everything in Leadwire is UTC.
        configurationBuilder.Properties<DateTime>().HaveConversion<UtcDateTimeConverter>();
        configurationBuilder.Properties<DateTime?>().HaveConversion<UtcDateTimeConverter>();
    }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(LeadwireDbContext).Assembly);

        foreach (var entity in modelBuilder.Model.GetEntityTypes())
        {
            foreach (var property in entity.GetProperties())
            {
                property.SetColumnName(ToSnakeCase(property.Name));
            }
        }
    }

    internal static string ToSnakeCase(string name)
    {
        var builder = new StringBuilder(name.Length + 8);
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (char.IsUpper(c))
            {
                if (i > 0)
                {
                    builder.Append('_');
                }
                builder.Append(char.ToLowerInvariant(c));
            }
            else
            {
                builder.Append(c);
            }
        }
        return builder.ToString();
    }

    private sealed class UtcDateTimeConverter() : ValueConverter<DateTime, DateTime>(
        v => v.Kind == DateTimeKind.Utc ? v : v.ToUniversalTime(),
        v => DateTime.SpecifyKind(v, DateTimeKind.Utc));
}
