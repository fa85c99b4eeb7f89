using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Leadwire.Infrastructure;

/// <summary>
/// Names the API and declares how to authenticate, so the interactive docs at <c>/docs</c> can send a bearer token
/// (a user's API token or the bootstrap token) with every call.
/// </summary>
internal sealed class ApiDocumentDescription : IOpenApiDocumentTransformer
{
    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Info = new OpenApiInfo
        {
            Title = "Leadwire API",
            Version = "v1",
            Description = "Meta Lead Ads capture and lead CRM. Authenticate with 'Authorization: Bearer <API token>'; "
                + "choose the workspace of a signed-in session with the 'Leadwire-Workspace' header. Errors are RFC 9457 problem details.",
        };
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes["bearer"] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            Description = "A user's API token (POST /api/v1/tokens) or the installation's bootstrap token.",
        };
        document.Security ??= [];
        document.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference("bearer", document)] = [] });
        return Task.CompletedTask;
    }
}
