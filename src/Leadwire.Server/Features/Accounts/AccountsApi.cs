using Leadwire.Features.Audit;

namespace Leadwire.Features.Accounts;

/// <summary>Everything about who may do what: sign-in, workspaces, members, API tokens and the audit log.</summary>
public static class AccountsApi
{
    public static IEndpointRouteBuilder MapAccounts(this IEndpointRouteBuilder app)
    {
        app.MapAuthApi();
        app.MapWorkspacesApi();
        app.MapMembersApi();
        app.MapTokensApi();
        app.MapAuditApi();
        return app;
    }
}
