using System.Collections.Concurrent;
using Leadwire.Data;
using Leadwire.Features.Leads;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Leadwire.Features.Scoring;

/// <summary>
/// Each workspace's parsed scoring rules, kept for a short while (<see cref="LeadIntakeOptions.RulesCacheDuration"/>)
/// so that scoring every arriving lead costs no query. Safe with several instances: another instance's change
/// reaches this one when the entry expires, and a lead scored under the old rules meanwhile is rescored by the
/// background rescore the change started.
/// </summary>
public sealed partial class ScoringRulesCache(TimeProvider time, IOptionsMonitor<LeadIntakeOptions> options, ILogger<ScoringRulesCache> logger)
{
    private readonly ConcurrentDictionary<long, Entry> _entries = new();

    private sealed record Entry(ScoringRules Rules, DateTime ExpiresAt);

    public async ValueTask<ScoringRules> GetAsync(LeadwireDbContext db, long workspaceId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        if (_entries.TryGetValue(workspaceId, out var entry) && entry.ExpiresAt > now)
        {
            return entry.Rules;
        }
        var json = await db.Workspaces.AsNoTracking().Where(w => w.Id == workspaceId).Select(w => w.ScoringRulesJson).SingleOrDefaultAsync(cancellationToken);
        var rules = Parse(json, workspaceId);
        _entries[workspaceId] = new Entry(rules, now + options.CurrentValue.RulesCacheDuration);
        return rules;
    }

    /// <summary>Reads the rules from the database now, bypassing (and refreshing) the cache: for rescoring after a change.</summary>
    public async Task<ScoringRules> ReadFreshAsync(LeadwireDbContext db, long workspaceId, CancellationToken cancellationToken)
    {
        _entries.TryRemove(workspaceId, out _);
        return await GetAsync(db, workspaceId, cancellationToken);
    }

    /// <summary>Drops a workspace's entry, so this instance uses changed rules at once.</summary>
    public void Forget(long workspaceId) => _entries.TryRemove(workspaceId, out _);

    /// <summary>
    /// The stored rules, or the defaults when the document cannot be used. The API validates before saving, so this
    /// only happens to a document edited by hand; scoring with the defaults beats refusing to store leads.
    /// </summary>
    public ScoringRules Parse(string? json, long workspaceId)
    {
        if (ScoringJson.TryParseRules(json) is { } rules)
        {
            return rules;
        }
        LogUnusableRules(logger, workspaceId);
        return ScoringRules.Default;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Workspace {WorkspaceId} has unusable scoring rules stored; scoring with the defaults until they are saved again")]
    private static partial void LogUnusableRules(ILogger logger, long workspaceId);
}
