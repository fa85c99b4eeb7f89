namespace Leadwire.Meta;

/// <summary>Meta's error object (<c>{"error": {...}}</c>), as far as Leadwire uses it.</summary>
public sealed record GraphError(
    string Message,
    string? Type,
    int Code,
    int? Subcode,
    bool? IsTransient,
    string? UserTitle,
    string? UserMessage,
    string? TraceId);

/// <summary>A failed Graph call, typed by what the caller should do about it. Messages never contain tokens.</summary>
public abstract class GraphException(string message, GraphError? error, int? httpStatus, Exception? inner = null)
    : Exception(message, inner)
{
    public GraphError? Error { get; } = error;
    public int? HttpStatus { get; } = httpStatus;

    protected static string Describe(GraphError? error, int? status, string fallback) =>
        error is null
            ? $"{fallback} (HTTP {status?.ToString() ?? "none"})"
            : $"Meta error {error.Code}{(error.Subcode is { } s ? $"/{s}" : "")}: {error.Message}{(error.TraceId is { } t ? $" (fbtrace_id {t})" : "")}";
}

/// <summary>Codes 4, 17, 32, 613, 80000–80014: wait as long as Meta says, then try again.</summary>
public sealed class GraphRateLimitedException(GraphError? error, int? status, TimeSpan? retryAfter, string? detail = null)
    : GraphException(detail ?? Describe(error, status, "Rate limited"), error, status)
{
    /// <summary>From Meta's usage headers (estimated_time_to_regain_access); null when Meta gave no estimate.</summary>
    public TimeSpan? RetryAfter { get; } = retryAfter;
}

/// <summary>Code 190 or 102: the token expired or was revoked. Retrying cannot help; a person must re-authorise.</summary>
public sealed class GraphAuthException(GraphError? error, int? status)
    : GraphException(Describe(error, status, "Access token rejected"), error, status);

/// <summary>Codes 3, 10, 200–299: a permission is missing (for leads, often Leads Access Manager).</summary>
public sealed class GraphPermissionException(GraphError? error, int? status)
    : GraphException(Describe(error, status, "Permission denied"), error, status);

/// <summary>Codes 1, 2, 341, <c>is_transient</c>, HTTP 5xx, timeouts and network failures: retry with backoff.</summary>
public sealed class GraphTransientException(GraphError? error, int? status, string? detail = null, Exception? inner = null)
    : GraphException(detail ?? Describe(error, status, "Temporary failure"), error, status, inner);

/// <summary>Anything else (bad parameter, object missing): retrying the same request will fail the same way.</summary>
public sealed class GraphPermanentException(GraphError? error, int? status, string? detail = null)
    : GraphException(detail ?? Describe(error, status, "Request failed"), error, status);
