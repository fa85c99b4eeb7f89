using System.Security.Claims;
using Leadwire.Data;

namespace Leadwire.Features.Accounts;

/// <summary>
/// Who is asking, and as what: a user acting in one workspace with their role there. Every API handler that reads
/// or writes workspace data takes a Caller and bounds its queries by <see cref="WorkspaceId"/>.
/// </summary>
public sealed record Caller(long UserId, string Label, long WorkspaceId, WorkspaceRole Role, long? ApiTokenId, bool ViaBootstrapToken)
{
    public bool IsAtLeast(WorkspaceRole role) => Role >= role;

    /// <summary>Agents see only the leads assigned to them; everyone else sees the whole workspace.</summary>
    public bool SeesOnlyOwnLeads => Role == WorkspaceRole.Agent;

    /// <summary>The bootstrap token also operates the installation (raw webhook deliveries of every workspace).</summary>
    public bool IsInstallationOperator => ViaBootstrapToken;

    /// <summary>Set by <see cref="CallerResolution"/> once the workspace and role are known.</summary>
    public static ValueTask<Caller?> BindAsync(HttpContext context) =>
        ValueTask.FromResult(context.Features.Get<Caller>());
}

/// <summary>Claim types Leadwire puts on an authenticated principal.</summary>
public static class LeadwireClaims
{
    public const string UserId = ClaimTypes.NameIdentifier;

    /// <summary>Present for API tokens: the one workspace the token acts in.</summary>
    public const string WorkspaceId = "leadwire:workspace_id";

    public const string ApiTokenId = "leadwire:api_token_id";

    /// <summary>Present when the bootstrap token authenticated the request.</summary>
    public const string Bootstrap = "leadwire:bootstrap";
}
