using System.Text.Json;
using Leadwire.Data;
using Leadwire.Features.Accounts;

namespace Leadwire.Features.Audit;

/// <summary>
/// Records who did what. Entries join the caller's unit of work (call before SaveChanges), so an action and its
/// audit line commit together or not at all.
/// </summary>
public sealed class AuditLog(TimeProvider time, IHttpContextAccessor http)
{
    public void Record(LeadwireDbContext db, Caller? caller, string action, string? targetType = null, string? targetId = null, object? details = null, long? workspaceId = null) =>
        Record(db, caller?.UserId, caller?.Label ?? "system", workspaceId ?? caller?.WorkspaceId, action, targetType, targetId, details);

    public void Record(
        LeadwireDbContext db, long? actorUserId, string actor, long? workspaceId, string action, string? targetType = null, string? targetId = null, object? details = null)
    {
        db.AuditLog.Add(new AuditEntry
        {
            WorkspaceId = workspaceId,
            ActorUserId = actorUserId,
            Actor = actor,
            Action = action,
            TargetType = targetType,
            TargetId = targetId,
            Details = details is null ? null : JsonSerializer.Serialize(details, AuditJson.Options),
            IpAddress = http.HttpContext?.Connection.RemoteIpAddress?.ToString(),
            At = time.GetUtcNow().UtcDateTime,
        });
    }
}

internal static class AuditJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web) { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };
}
