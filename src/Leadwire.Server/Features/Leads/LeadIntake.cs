using System.ComponentModel.DataAnnotations;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Leadwire.Data;
using Leadwire.Features.Assignment;
using Leadwire.Features.Contacts;
using Leadwire.Features.Jobs;
using Leadwire.Features.Scoring;
using Leadwire.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Leadwire.Features.Leads;

/// <summary>
/// What happens to a lead as it is stored: its search keys and its first score, in the same write as the lead and
/// without a query of their own (the rules come from <see cref="ScoringRulesCache"/>).
/// Linking to a contact and automatic assignment need to look at other rows, so they follow a moment later in
/// batches (<see cref="LeadIntakeJob"/>): the write only makes sure that job exists.
/// </summary>
public sealed class LeadIntake(ScoringRulesCache rulesCache, TimeProvider time, IOptionsMonitor<JobOptions> jobOptions)
{
    /// <summary>Timeline authors of the <c>created</c> event, by how the lead arrived.</summary>
    public const string WebhookActor = "meta";
    public const string ReconciliationActor = "reconciliation";

    /// <summary>
    /// Follow-up jobs are keyed by the second the lead was stored and run just after that second ends, so a burst
    /// of a thousand leads a second makes one job a second that sees all of them.
    /// </summary>
    private static readonly TimeSpan Bucket = TimeSpan.FromSeconds(1);

    /// <summary>After the bucket ends, time for the last writes of the bucket to commit before the job reads.</summary>
    private static readonly TimeSpan Grace = TimeSpan.FromMilliseconds(150);

    /// <summary>The last bucket whose job is known to be committed: later writes in it need not enqueue again.</summary>
    private long _committedBucket = -1;

    /// <summary>
    /// The bucket each open transaction has already enqueued: the leads of one group commit share a transaction,
    /// and one insert of the job is enough for all of them. Keyed by the transaction, not the context: contexts
    /// are pooled, and a rolled-back transaction's insert must not count for the next one.
    /// </summary>
    private readonly ConditionalWeakTable<object, StrongBox<long>> _enqueuedIn = [];

    /// <summary>The workspace's scoring rules, from the cache; call before the write.</summary>
    public ValueTask<ScoringRules> RulesAsync(LeadwireDbContext db, long workspaceId, CancellationToken cancellationToken) =>
        rulesCache.GetAsync(db, workspaceId, cancellationToken);

    /// <summary>
    /// Adds <paramref name="lead"/> to <paramref name="db"/> with its normalised keys and its score as of its
    /// <c>stored_at</c>. The timeline's <c>created</c> entry is read from the lead itself (<see cref="CreatedEvent"/>),
    /// not stored: a second row per lead was a fifth of the insert's cost at a thousand leads a second.
    /// </summary>
    public static void Add(LeadwireDbContext db, Lead lead, ScoringRules rules)
    {
        ArgumentNullException.ThrowIfNull(db);
        Prepare(lead, rules, lead.StoredAt);
        db.Leads.Add(lead);
    }

    /// <summary>
    /// Sets <paramref name="lead"/>'s normalised keys and its score as of <paramref name="now"/>, without a query:
    /// call it before a write (then only <c>db.Leads.Add</c> is left for the write), so the work is not done while
    /// SQLite's one writer is held.
    /// </summary>
    public static void Prepare(Lead lead, ScoringRules rules, DateTime now)
    {
        ArgumentNullException.ThrowIfNull(lead);
        lead.EmailNormalized = ContactKeys.NormaliseEmail(lead.Email);
        lead.PhoneNormalized = ContactKeys.NormalisePhone(lead.Phone);
        lead.NameNormalized = ContactKeys.NormaliseName(lead.FullName);
        var score = LeadScorer.Score(ScoringSubject.Of(lead).Input(ScoringActivity.None), rules, now);
        lead.Score = score.Score;
        lead.ScoreReasonsJson = ScoringJson.SerializeReasons(score.Reasons);
        lead.ScoredAt = now;
    }

    /// <summary>The first line of a lead's timeline: when and how it arrived. Id 0: it is not a stored event.</summary>
    public static LeadEventDto CreatedEvent(Lead lead)
    {
        ArgumentNullException.ThrowIfNull(lead);
        var (actor, source) = lead.Source == LeadSource.Webhook ? (WebhookActor, "webhook") : (ReconciliationActor, "reconciliation");
        return new LeadEventDto(0, LeadEventTypes.Created, actor, null, lead.StoredAt, JsonSerializer.SerializeToElement(new CreatedData(source), ScoringJson.Options));
    }

    private sealed record CreatedData(string Source);

    /// <summary>
    /// Makes sure a <see cref="LeadIntakeJob"/> will run after this write; call inside it. Returns the bucket to pass
    /// to <see cref="Committed"/> after the commit, or null when this instance already committed one for the bucket.
    /// </summary>
    public async Task<long?> EnqueueFollowUpAsync(LeadwireDbContext db, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var now = time.GetUtcNow().UtcDateTime;
        var bucket = now.Ticks / Bucket.Ticks;
        if (Volatile.Read(ref _committedBucket) == bucket)
        {
            return null;
        }
        var enqueued = db.Database.CurrentTransaction is { } transaction ? _enqueuedIn.GetOrCreateValue(transaction) : new StrongBox<long>();
        if (enqueued.Value == bucket)
        {
            return bucket;
        }
        enqueued.Value = bucket;
        await InsertJobAsync(db, bucket, new DateTime((bucket + 1) * Bucket.Ticks, DateTimeKind.Utc) + Grace, now, cancellationToken);
        return bucket;
    }

    /// <summary>After the commit of a write that called <see cref="EnqueueFollowUpAsync"/>.</summary>
    public void Committed(long? bucket)
    {
        if (bucket is { } committed && committed > Volatile.Read(ref _committedBucket))
        {
            Volatile.Write(ref _committedBucket, committed);
        }
    }

    /// <summary>
    /// Enqueues a follow-up for now (the upkeep scheduler's safety net, for a write whose enqueue was rolled back
    /// or reached a job that had already read its batch).
    /// </summary>
    public Task EnqueueFollowUpNowAsync(LeadwireDbContext db, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        return InsertJobAsync(db, now.Ticks / Bucket.Ticks, now, now, cancellationToken);
    }

    /// <summary>
    /// Like <see cref="JobEnqueuer.EnqueueUniqueAsync"/> but with a run_after in the future: the job must wait for
    /// the end of its bucket, or it could read its batch before the bucket's last leads are stored.
    /// </summary>
    private async Task InsertJobAsync(LeadwireDbContext db, long bucket, DateTime runAfter, DateTime now, CancellationToken cancellationToken)
    {
        var kind = LeadIntakeJob.Kind;
        var payload = "{}";
        var status = nameof(JobStatus.Pending);
        var dedupeKey = $"{LeadIntakeJob.Kind}:{bucket}";
        var maxAttempts = jobOptions.CurrentValue.MaxAttempts;
        await db.Database.ExecuteSqlAsync(
            $"""
            INSERT INTO jobs (kind, payload, status, dedupe_key, page_id, run_after, attempts, max_attempts, created_at, updated_at)
            VALUES ({kind}, {payload}, {status}, {dedupeKey}, NULL, {runAfter}, 0, {maxAttempts}, {now}, {now})
            ON CONFLICT (dedupe_key) DO NOTHING
            """, cancellationToken);
    }
}

/// <summary>Settings of lead intake and upkeep: <c>Leadwire:Intake</c>.</summary>
public sealed class LeadIntakeOptions
{
    public const string Section = "Leadwire:Intake";

    /// <summary>How long a workspace's parsed scoring rules are reused before being read again.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan RulesCacheDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often leads are checked for SLA breaches (and for leads the intake has not reached).</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00")]
    public TimeSpan SlaCheckInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Leads created longer ago than this are not newly marked as SLA breaches.</summary>
    [Range(typeof(TimeSpan), "01:00:00", "365.00:00:00")]
    public TimeSpan SlaLookback { get; set; } = TimeSpan.FromDays(7);

    /// <summary>How often scores are recomputed as leads age.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "1.00:00:00")]
    public TimeSpan AgeingInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// Leads stored longer ago than this when the intake reaches them are linked to contacts but not assigned
    /// automatically: after an upgrade, a year of old leads should not land on the agents' desks.
    /// </summary>
    [Range(typeof(TimeSpan), "00:01:00", "30.00:00:00")]
    public TimeSpan AutoAssignWindow { get; set; } = TimeSpan.FromDays(1);
}

/// <summary>The registrations and endpoints of lead intake, scoring, contacts, assignment and recommendations.</summary>
public static class LeadIntakeSetup
{
    public static WebApplicationBuilder AddLeadIntake(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<LeadIntakeOptions>().BindConfiguration(LeadIntakeOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<ScoringRulesCache>();
        builder.Services.AddSingleton<LeadScoring>();
        builder.Services.AddSingleton<LeadIntake>();
        builder.Services.AddSingleton<IJobHandler, LeadIntakeJob>();
        builder.Services.AddSingleton<IJobHandler, RescoreWorkspaceLeads>();
        builder.Services.AddSingleton<IJobHandler, AgeLeadScores>();
        builder.Services.AddSingleton<IJobHandler, MarkSlaBreaches>();
        builder.Services.AddSingleton<LeadUpkeepScheduler>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<LeadUpkeepScheduler>());
        return builder;
    }

    public static IEndpointRouteBuilder MapLeadIntake(this IEndpointRouteBuilder app)
    {
        app.MapScoringApi();
        app.MapRecommendationsApi();
        app.MapContactsApi();
        app.MapAssignmentApi();
        return app;
    }
}
