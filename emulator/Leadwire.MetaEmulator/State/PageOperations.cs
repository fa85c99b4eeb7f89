namespace Leadwire.MetaEmulator.State;

internal sealed class PageOperations(EmulatorState state)
{
    public Outcome<PageView> Create(CreatePageRequest request)
    {
        if (string.IsNullOrWhiteSpace(request.Name))
        {
            return Failure.BadRequest("name is required.");
        }

        if (state.TryClaimId(request.Id, state.PageIds, out var id) is { } idRefused)
        {
            return idRefused;
        }

        var token = request.AccessToken ?? Tokens.NewPageToken();
        if (token.Length == 0 || token.Contains('|', StringComparison.Ordinal))
        {
            return Failure.BadRequest("access_token must be non-empty and must not contain '|' (reserved for app tokens).");
        }

        var page = new PageState(id, request.Name, new PageToken(token, request.TokenExpiresAt), request.Subscribed ?? true, request.AdsAccess ?? true);
        if (!state.PagesByToken.TryAdd(token, page))
        {
            return Failure.Conflict("access_token is already used by another page.");
        }

        if (!state.Pages.TryAdd(id, page))
        {
            state.PagesByToken.TryRemove(token, out _);
            return Failure.Conflict($"id {id} is already in use.");
        }

        state.RevokedTokens.TryRemove(token, out _);
        return page.ToView();
    }

    public IReadOnlyList<PageView> List() =>
        [.. state.Pages.Values.OrderBy(page => page.Number).Select(page => page.ToView())];

    /// <summary>Issues a new token; the old one stops working (190/467) at once.</summary>
    public Outcome<PageTokenView> RotateToken(string pageId, RotateTokenRequest? request)
    {
        if (!state.Pages.TryGetValue(pageId, out var page))
        {
            return Failure.NotFound($"page {pageId} does not exist.");
        }

        var token = request?.AccessToken ?? Tokens.NewPageToken();
        if (token.Length == 0 || token.Contains('|', StringComparison.Ordinal))
        {
            return Failure.BadRequest("access_token must be non-empty and must not contain '|'.");
        }

        lock (page.TokenGate)
        {
            var old = page.Token;
            if (!string.Equals(old.Value, token, StringComparison.Ordinal))
            {
                if (!state.PagesByToken.TryAdd(token, page))
                {
                    return Failure.Conflict("access_token is already used by another page.");
                }

                state.RevokedTokens.TryRemove(token, out _);
                state.RevokedTokens[old.Value] = 0;
                state.PagesByToken.TryRemove(old.Value, out _);
            }

            page.Token = new PageToken(token, request?.ExpiresAt);
            return ToView(page);
        }
    }

    /// <summary>Makes the current token expire now: it then answers 190/463.</summary>
    public Outcome<PageTokenView> ExpireToken(string pageId)
    {
        if (!state.Pages.TryGetValue(pageId, out var page))
        {
            return Failure.NotFound($"page {pageId} does not exist.");
        }

        lock (page.TokenGate)
        {
            page.Token = page.Token with { ExpiresAt = state.Time.GetUtcNow() };
            return ToView(page);
        }
    }

    public Outcome<UsageThrottle> SetThrottle(string pageId, UsageThrottle throttle)
    {
        if (!state.Pages.TryGetValue(pageId, out var page))
        {
            return Failure.NotFound($"page {pageId} does not exist.");
        }

        page.SetThrottle(throttle);
        return throttle;
    }

    private static PageTokenView ToView(PageState page) => new()
    {
        PageId = page.Id,
        AccessToken = page.Token.Value,
        TokenExpiresAt = page.Token.ExpiresAt,
    };
}
