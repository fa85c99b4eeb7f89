using System.Globalization;
using Leadwire.MetaEmulator.State;

namespace Leadwire.MetaEmulator.Graph;

internal sealed class FaultRule
{
    public required string Id { get; init; }

    public required FaultRequest Request { get; init; }

    public GraphError? Error { get; init; }

    public required bool Unlimited { get; init; }

    public int Remaining { get; set; }

    public long Fired { get; set; }

    public FaultView ToView() => new()
    {
        Id = Id,
        Match = Request.Match,
        PageId = Request.PageId,
        ErrorCode = Request.ErrorCode,
        ErrorSubcode = Error?.Subcode,
        HttpStatus = Error?.Status,
        Message = Error?.Message,
        Type = Error?.Type,
        IsTransient = Error?.IsTransient,
        LatencyMs = Request.LatencyMs,
        Usage = Request.Usage,
        Remaining = Unlimited ? 0 : Remaining,
        Fired = Fired,
    };
}

/// <summary>
/// Injected Graph faults, checked after authentication. The first matching rule (in creation order) fires and
/// uses up one of its count. Requests skip the lock entirely while no rule exists.
/// </summary>
internal sealed class FaultRegistry
{
    private readonly Lock _gate = new();
    private readonly List<FaultRule> _rules = [];
    private volatile int _count;
    private long _ids;

    public bool HasAny => _count > 0;

    public Outcome<FaultCreated> Add(FaultRequest request)
    {
        var match = request.Match?.Trim() ?? string.Empty;
        if (match != "*" && !match.StartsWith('/') && !GraphEndpointNames.IsKnownName(match))
        {
            return Failure.BadRequest("match must be '*', a path glob starting with '/', or one of: lead, delete_lead, form, update_form, page, app, form_leads, leadgen_forms, test_leads, subscribed_apps, subscriptions, unknown.");
        }

        if (request.ErrorCode is null && request.LatencyMs is not > 0)
        {
            return Failure.BadRequest("a fault needs error_code, latency_ms, or both.");
        }

        if (request.Count is < 0 || request.LatencyMs is < 0 || request.HttpStatus is < 100 or > 599)
        {
            return Failure.BadRequest("count and latency_ms must not be negative; http_status must be 100..599.");
        }

        GraphError? error = null;
        if (request.ErrorCode is { } code)
        {
            error = new GraphError(
                code,
                request.Message ?? GraphErrors.DefaultMessage(code),
                request.Type ?? (code == 100 && request.ErrorSubcode == 33 ? "GraphMethodException" : "OAuthException"),
                request.ErrorSubcode,
                request.IsTransient ?? GraphErrors.DefaultTransient(code),
                request.ErrorUserTitle,
                request.ErrorUserMsg,
                request.HttpStatus);
        }

        var count = request.Count ?? 1;
        var rule = new FaultRule
        {
            Id = Interlocked.Increment(ref _ids).ToString(CultureInfo.InvariantCulture),
            Request = request with { Match = match },
            Error = error,
            Unlimited = count == 0,
            Remaining = count,
        };

        lock (_gate)
        {
            _rules.Add(rule);
            _count = _rules.Count;
        }

        return new FaultCreated { Id = rule.Id };
    }

    /// <summary>The rule that fires for this request, if any (its count is used up here).</summary>
    public FaultRule? TryFire(GraphEndpoint endpoint, GraphRoute route, string? pageId)
    {
        lock (_gate)
        {
            for (var i = 0; i < _rules.Count; i++)
            {
                var rule = _rules[i];
                if (!Matches(rule.Request, endpoint, route, pageId))
                {
                    continue;
                }

                rule.Fired++;
                if (!rule.Unlimited && --rule.Remaining <= 0)
                {
                    _rules.RemoveAt(i);
                    _count = _rules.Count;
                }

                return rule;
            }
        }

        return null;
    }

    public IReadOnlyList<FaultView> List()
    {
        lock (_gate)
        {
            return [.. _rules.Select(rule => rule.ToView())];
        }
    }

    public bool Remove(string id)
    {
        lock (_gate)
        {
            var removed = _rules.RemoveAll(rule => rule.Id == id) > 0;
            _count = _rules.Count;
            return removed;
        }
    }

    public void Clear()
    {
        lock (_gate)
        {
            _rules.Clear();
            _count = 0;
        }
    }

    private static bool Matches(FaultRequest request, GraphEndpoint endpoint, GraphRoute route, string? pageId)
    {
        if (request.PageId is not null && !string.Equals(request.PageId, pageId, StringComparison.Ordinal))
        {
            return false;
        }

        var match = request.Match;
        if (match == "*")
        {
            return true;
        }

        return match.StartsWith('/') ? Glob.IsMatch(match, route.IsValid ? route.SubPath : route.Path) : match == endpoint.Name();
    }
}

/// <summary>'*' matches any run of characters (including '/'), '?' exactly one.</summary>
internal static class Glob
{
    public static bool IsMatch(ReadOnlySpan<char> pattern, ReadOnlySpan<char> text)
    {
        int p = 0, t = 0, star = -1, resume = 0;
        while (t < text.Length)
        {
            if (p < pattern.Length && (pattern[p] == '?' || pattern[p] == text[t]))
            {
                p++;
                t++;
            }
            else if (p < pattern.Length && pattern[p] == '*')
            {
                star = p++;
                resume = t;
            }
            else if (star >= 0)
            {
                p = star + 1;
                t = ++resume;
            }
            else
            {
                return false;
            }
        }

        while (p < pattern.Length && pattern[p] == '*')
        {
            p++;
        }

        return p == pattern.Length;
    }
}
