using System.Globalization;
using System.Text.Json;
using Leadwire.Data;
using Leadwire.Features.Leads;
using Microsoft.EntityFrameworkCore;

namespace Leadwire.Features.Bulk;

/// <summary>
/// The writes of one chunk of a bulk operation, set-based: one statement for the timeline events (INSERT … SELECT
/// from the leads themselves) and one for the change, however many leads the chunk holds. Each statement repeats the
/// change's condition (status allowed, not yet tagged, not yet deleted…), so a lead changed by someone else since
/// the chunk was read is neither changed twice nor given an event for a change that did not happen.
/// </summary>
/// <remarks>
/// Raw SQL because EF Core has no INSERT … SELECT, and because of SQLite's planner: with no statistics it prefers
/// any (workspace_id, …) index over the rowid for <c>id IN (…) AND workspace_id = ?</c>, reading the whole
/// workspace for a chunk of two thousand. <c>NOT INDEXED</c> keeps it on the rowid. The ids travel as one
/// parameter: a JSON array for SQLite's json_each, a bigint[] for PostgreSQL's ANY.
/// </remarks>
internal sealed class BulkChunkWrites(LeadwireDbContext db, BulkChunk chunk)
{
    private readonly bool _sqlite = db.Database.IsSqlite();

    /// <summary>Applies the chunk's change; returns how many leads it changed.</summary>
    public async Task<int> ApplyAsync(CancellationToken cancellationToken)
    {
        if (chunk.LeadIds.Count == 0)
        {
            return 0;
        }
        var plan = chunk.Plan;
        switch (plan.Action)
        {
            case BulkAction.Status:
                {
                    // LeadWorkflow.Move, set-based: contacted_at once, on the first move into contacted, qualified or
                    // converted; qualified_at and converted_at on every move into those.
                    var target = plan.Status!.Value;
                    var sources = "status IN (" + string.Join(", ", BulkStatusRules.SourcesOf(target, plan.Role).Select(s => $"'{s}'")) + ") AND erased_at IS NULL";
                    var json = Suffix(new { to = LeadWorkflow.Name(target), reason = plan.Reason, bulk_operation_id = chunk.OperationId });
                    await EventsAsync(LeadEventTypes.StatusChanged, "{7} || lower(l.status) || {8}", sources.Replace("erased_at", "l.erased_at", StringComparison.Ordinal),
                        new EventData(0, "{\"from\":\"", "\"," + json), cancellationToken);
                    var set = "status = {5}, status_reason = " + (plan.Reason is null ? "NULL" : "{6}") + ", status_changed_at = {4}, updated_at = {4}"
                        + (target is LeadStatus.Contacted or LeadStatus.Qualified or LeadStatus.Converted ? ", contacted_at = COALESCE(contacted_at, {4})" : "")
                        + (target == LeadStatus.Qualified ? ", qualified_at = {4}" : "")
                        + (target == LeadStatus.Converted ? ", converted_at = {4}" : "");
                    return await UpdateAsync(set, sources, target.ToString(), plan.Reason ?? "", cancellationToken);
                }
            case BulkAction.Assign:
                {
                    // The same event the single-lead assignment writes: from, to, to_email.
                    var notYet = "(assignee_user_id IS NULL OR assignee_user_id <> {5}) AND erased_at IS NULL";
                    var json = Suffix(new { to = plan.UserId, to_email = plan.UserEmail, bulk_operation_id = chunk.OperationId });
                    await EventsAsync(LeadEventTypes.Assigned, "{7} || COALESCE(CAST(l.assignee_user_id AS TEXT), 'null') || {8}",
                        notYet.Replace("assignee_user_id", "l.assignee_user_id", StringComparison.Ordinal).Replace("erased_at", "l.erased_at", StringComparison.Ordinal),
                        new EventData(plan.UserId!.Value, "{\"from\":", "," + json), cancellationToken);
                    return await UpdateAsync("assignee_user_id = {5}, assigned_at = {4}, updated_at = {4}", notYet, plan.UserId!.Value, "", cancellationToken);
                }
            case BulkAction.Tag:
                {
                    var untagged = "l.erased_at IS NULL AND NOT EXISTS (SELECT 1 FROM lead_tags t WHERE t.lead_id = l.id AND t.tag = {5})";
                    await EventsAsync(LeadEventTypes.Tagged, "{7}", untagged,
                        new EventData(plan.Tag!, Json(new { tag = plan.Tag, bulk_operation_id = chunk.OperationId }), ""), cancellationToken);
                    var sql = "INSERT INTO lead_tags (lead_id, tag, workspace_id) SELECT l.id, {5}, l.workspace_id FROM " + Leads("l")
                        + " WHERE " + Scope("l") + " AND " + untagged + " ON CONFLICT (lead_id, tag) DO NOTHING";
                    return await ExecuteAsync(sql, plan.Tag!, cancellationToken);
                }
            case BulkAction.Untag:
                {
                    var tagged = "l.erased_at IS NULL AND EXISTS (SELECT 1 FROM lead_tags t WHERE t.lead_id = l.id AND t.tag = {5})";
                    await EventsAsync(LeadEventTypes.Untagged, "{7}", tagged,
                        new EventData(plan.Tag!, Json(new { tag = plan.Tag, bulk_operation_id = chunk.OperationId }), ""), cancellationToken);
                    var sql = "DELETE FROM lead_tags WHERE tag = {5} AND lead_id IN (SELECT l.id FROM " + Leads("l") + " WHERE " + Scope("l") + " AND l.erased_at IS NULL)";
                    return await ExecuteAsync(sql, plan.Tag!, cancellationToken);
                }
            case BulkAction.Delete:
                await EventsAsync(LeadEventTypes.Deleted, "{7}", "l.deleted_at IS NULL", new EventData(0, Json(new { bulk_operation_id = chunk.OperationId }), ""), cancellationToken);
                return await UpdateAsync("deleted_at = {4}, updated_at = {4}", "deleted_at IS NULL", 0, "", cancellationToken);
            case BulkAction.Restore:
                await EventsAsync(LeadEventTypes.Restored, "{7}", "l.deleted_at IS NOT NULL", new EventData(0, Json(new { bulk_operation_id = chunk.OperationId }), ""), cancellationToken);
                return await UpdateAsync("deleted_at = NULL, updated_at = {4}", "deleted_at IS NOT NULL", 0, "", cancellationToken);
            default:
                throw new InvalidOperationException($"{plan.Action} is not a change bulk operation.");
        }
    }

    /// <summary>
    /// One timeline event per lead of the chunk that meets <paramref name="condition"/>. Parameters: {0} ids, {1}
    /// workspace, {2} agent (when the requester is one), {3} actor id, {4} now, {5} the action's value, {6} actor label,
    /// {7} and {8} the JSON around a value read from the row.
    /// </summary>
    private Task<int> EventsAsync(string type, string data, string condition, EventData values, CancellationToken cancellationToken)
    {
        var sql = "INSERT INTO lead_events (lead_id, workspace_id, type, actor_user_id, actor, at, data_json) SELECT l.id, l.workspace_id, '"
            + type + "', {3}, {6}, {4}, " + data + " FROM " + Leads("l") + " WHERE " + Scope("l") + " AND " + condition;
        return db.Database.ExecuteSqlRawAsync(sql, Parameters(values.Value, chunk.Actor, values.JsonPrefix, values.JsonSuffix), cancellationToken);
    }

    /// <summary>UPDATE leads SET <paramref name="set"/> for the chunk's leads that meet <paramref name="condition"/>; {5}, {6} are the values.</summary>
    private Task<int> UpdateAsync(string set, string condition, object value, object value2, CancellationToken cancellationToken)
    {
        var sql = "UPDATE " + Leads(null) + " SET " + set + " WHERE " + Scope(null) + " AND " + condition;
        return db.Database.ExecuteSqlRawAsync(sql, Parameters(value, value2, null, null), cancellationToken);
    }

    private Task<int> ExecuteAsync(string sql, object value, CancellationToken cancellationToken) =>
        db.Database.ExecuteSqlRawAsync(sql, Parameters(value, "", null, null), cancellationToken);

    /// <summary>{0} ids, {1} workspace, {2} agent, {3} actor id, {4} now, then the statement's own values from {5}.</summary>
    private object[] Parameters(object value5, object value6, string? value7, string? value8)
    {
        object ids = _sqlite
            ? "[" + string.Join(",", chunk.LeadIds.Select(id => id.ToString(CultureInfo.InvariantCulture))) + "]"
            : chunk.LeadIds.ToArray();
        var parameters = new List<object> { ids, chunk.WorkspaceId, chunk.AgentUserId ?? 0L, chunk.ActorUserId, chunk.Now, value5, value6 };
        if (value7 is not null)
        {
            parameters.Add(value7);
            parameters.Add(value8 ?? "");
        }
        return [.. parameters];
    }

    private string Leads(string? alias) =>
        alias is null
            ? (_sqlite ? "leads NOT INDEXED" : "leads")
            : (_sqlite ? $"leads AS {alias} NOT INDEXED" : $"leads AS {alias}");

    /// <summary>The chunk's leads, in the workspace, and for an agent only their own.</summary>
    private string Scope(string? alias)
    {
        var p = alias is null ? "" : alias + ".";
        var ids = _sqlite ? $"{p}id IN (SELECT value FROM json_each({{0}}))" : $"{p}id = ANY({{0}})";
        // "+ 0" keeps the workspace (and with it every (workspace_id, …) index) out of the planner's choice: the ids
        // are what finds the rows, through the primary key, on both providers and with or without statistics.
        var scope = $"{ids} AND {p}workspace_id + 0 = {{1}}";
        return chunk.AgentUserId is null ? scope : $"{scope} AND {p}assignee_user_id = {{2}}";
    }

    private static string Json(object value) => JsonSerializer.Serialize(value, BulkJson.Events);

    /// <summary>The rest of an event's JSON object after a value taken from the row: the object's remaining members.</summary>
    private static string Suffix(object rest)
    {
        var json = Json(rest);
        return json[1..];
    }
}

/// <summary>An event statement's values: {5} (the action's value, for its condition) and the JSON around a value read from the row ({7}, {8}).</summary>
internal sealed record EventData(object Value, string JsonPrefix, string JsonSuffix);

/// <summary>One chunk: the leads (ids) to change, and who changes them, when.</summary>
internal sealed record BulkChunk(
    long OperationId, BulkPlan Plan, IReadOnlyList<long> LeadIds, long WorkspaceId, long? AgentUserId, long ActorUserId, string Actor, DateTime Now);

internal static class BulkJson
{
    /// <summary>Event details as the rest of the timeline writes them: snake_case, nulls kept.</summary>
    public static readonly JsonSerializerOptions Events = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
    };
}
