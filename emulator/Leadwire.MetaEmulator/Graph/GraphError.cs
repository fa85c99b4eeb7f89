using Leadwire.MetaEmulator.Json;

namespace Leadwire.MetaEmulator.Graph;

/// <summary>A Graph error object (graph-basics.md §5). Status: 500 for code 1, 503 for code 2, else 400, unless overridden.</summary>
internal sealed record GraphError(
    int Code,
    string Message,
    string Type = "OAuthException",
    int? Subcode = null,
    bool? IsTransient = null,
    string? UserTitle = null,
    string? UserMessage = null,
    int? HttpStatus = null)
{
    public int Status => HttpStatus ?? Code switch
    {
        1 => 500,
        2 => 503,
        _ => 400,
    };
}

internal static class GraphErrors
{
    private const string DocsHint = " Please read the Graph API documentation at https://developers.facebook.com/docs/graph-api";

    public static GraphError MissingToken() =>
        new(104, "An access token is required to request this resource.");

    public static GraphError UnparsableToken() =>
        new(190, "Invalid OAuth access token - Cannot parse access token");

    public static GraphError RevokedToken() =>
        new(190, "Error validating access token: The session has been invalidated because the access token was replaced.", Subcode: 467);

    public static GraphError ExpiredToken(DateTimeOffset expiredAt, DateTimeOffset now) =>
        new(190, $"Error validating access token: Session has expired on {MetaTime.FormatLong(expiredAt)}. The current time is {MetaTime.FormatLong(now)}.", Subcode: 463);

    public static GraphError MissingProof() =>
        new(100, "API calls from the server require an appsecret_proof argument", "GraphMethodException");

    public static GraphError InvalidProof() =>
        new(100, "Invalid appsecret_proof provided in the API argument", "GraphMethodException");

    public static GraphError Unsupported(string method, string id) =>
        new(100, $"Unsupported {Lower(method)} request. Object with ID '{id}' does not exist, cannot be loaded due to missing permissions, or does not support this operation." + DocsHint, "GraphMethodException", Subcode: 33);

    public static GraphError NonexistingField(string field, string nodeType) =>
        new(100, $"(#100) Tried accessing nonexisting field ({field}) on node type ({nodeType})");

    public static GraphError InvalidParameter(string detail) => new(100, "(#100) " + detail);

    public static GraphError UnknownPath(string path) => new(2500, $"Unknown path components: {path}");

    public static GraphError AppTokenRequired() => new(15, "(#15) This method must be called with an app access_token.");

    public static GraphError PageTokenRequired() => new(210, "(#210) A page access token is required to request this resource.");

    public static GraphError CallbackVerificationFailed(string detail) =>
        new(2200, "(#2200) Callback verification failed with the following errors: " + detail);

    public static GraphError TestLeadExists(string leadId) =>
        new(100, $"(#100) A test lead already exists for this form (lead {leadId}). Delete the existing test lead before creating a new one.", UserTitle: "Test lead already exists", UserMessage: "Delete the existing test lead to create a new test lead.");

    public static GraphError Unknown() => new(1, "An unknown error occurred", IsTransient: true);

    /// <summary>"GET" becomes "get" as in Meta's message (ToLowerInvariant would trip CA1308).</summary>
    private static string Lower(string method) => string.Create(method.Length, method, static (span, source) =>
    {
        for (var i = 0; i < source.Length; i++)
        {
            span[i] = char.ToLowerInvariant(source[i]);
        }
    });

    /// <summary>Meta's wording for codes a fault may name without a message.</summary>
    public static string DefaultMessage(int code) => code switch
    {
        1 => "An unknown error occurred",
        2 => "An unexpected error has occurred. Please retry your request later.",
        4 => "(#4) Application request limit reached",
        10 => "(#10) Application does not have permission for this action",
        17 => "(#17) User request limit reached",
        32 => "(#32) Page request limit reached",
        100 => "(#100) Invalid parameter",
        190 => "Error validating access token: The session has been invalidated.",
        200 => "(#200) Permissions error",
        341 => "(#341) Application limit reached",
        368 => "(#368) The action attempted has been deemed abusive or is otherwise disallowed",
        613 => "(#613) Calls to this api have exceeded the rate limit.",
        80005 => "(#80005) There have been too many leadgen api calls to this Page. Wait a bit and try again. For more info, please refer to https://developers.facebook.com/docs/graph-api/overview/rate-limiting.",
        _ => $"(#{code}) Injected error",
    };

    /// <summary>Codes SDKs treat as retryable get is_transient=true unless the fault says otherwise.</summary>
    public static bool DefaultTransient(int code) =>
        code is 1 or 2 or 4 or 17 or 32 or 341 or 613 or (>= 80000 and <= 80014);
}
