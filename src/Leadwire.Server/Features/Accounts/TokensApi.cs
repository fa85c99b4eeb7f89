using Leadwire.Data;
using Leadwire.Features.Audit;
using Leadwire.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Leadwire.Features.Accounts;

public sealed record CreateTokenRequest(string? Name, int? ExpiresInDays);

/// <summary>The answer to creating a token: the only time <see cref="Token"/> (the plain token) is ever shown.</summary>
public sealed record CreatedTokenDto(long Id, string Name, string Prefix, string Token, long WorkspaceId, DateTime CreatedAt, DateTime? ExpiresAt);

/// <summary>A token as listed: never the token itself nor its digest. <c>status</c> is active, expired or revoked.</summary>
public sealed record TokenDto(
    long Id, string Name, string Prefix, long UserId, string UserEmail, string Status,
    DateTime CreatedAt, DateTime? LastUsedAt, DateTime? ExpiresAt, DateTime? RevokedAt);

/// <summary>Personal API tokens in the current workspace. They act with their owner's current role there.</summary>
public static class TokensApi
{
    public const int MaxExpiryDays = 3650;

    public static IEndpointRouteBuilder MapTokensApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/tokens").RequireRole(WorkspaceRole.Agent).WithTags("API tokens");
        group.MapPost("/", CreateAsync).WithSummary("Create an API token for yourself in the current workspace; the token is shown once");
        group.MapGet("/", ListAsync).WithSummary("Your tokens in this workspace; owners add all=true for everyone's");
        group.MapGet("/{id:long}", GetAsync).WithSummary("One token (yours; owners: any in the workspace)");
        group.MapDelete("/{id:long}", RevokeAsync).WithSummary("Revoke a token (yours; owners: any in the workspace)");
        return app;
    }

    internal static async Task<Results<Created<CreatedTokenDto>, ValidationProblem>> CreateAsync(
        CreateTokenRequest request, Caller caller, LeadwireDbContext db, ApiTokenService tokens, WriteGate gate, AuditLog audit,
        TimeProvider time, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(request.Name) || AccountProblems.TooLong(request.Name, 200))
        {
            errors["name"] = ["name is required (at most 200 characters), e.g. \"zapier\" or \"reporting script\"."];
        }
        if (request.ExpiresInDays is < 1 or > MaxExpiryDays)
        {
            errors["expires_in_days"] = [$"expires_in_days is from 1 to {MaxExpiryDays}, or absent for a token that does not expire."];
        }
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var now = time.GetUtcNow().UtcDateTime;
        DateTime? expiresAt = request.ExpiresInDays is { } days ? now.AddDays(days) : null;
        ApiTokenService.Issued issued = null!;
        await db.InWriteTransactionAsync(gate, async () =>
        {
            issued = tokens.Create(db, caller.UserId, caller.WorkspaceId, request.Name!.Trim(), expiresAt);
            await db.SaveChangesAsync(cancellationToken);
            audit.Record(db, caller, "token.created", "api_token", AuthApi.Id(issued.Token.Id),
                new { name = issued.Token.Name, prefix = issued.Token.Prefix, expires_at = expiresAt });
        }, cancellationToken);
        var token = issued.Token;
        return TypedResults.Created($"/api/v1/tokens/{token.Id}",
            new CreatedTokenDto(token.Id, token.Name, token.Prefix, issued.PlainToken, token.WorkspaceId, token.CreatedAt, token.ExpiresAt));
    }

    internal static async Task<Results<Ok<PagedList<TokenDto>>, ValidationProblem, ProblemHttpResult>> ListAsync(
        Caller caller, LeadwireDbContext db, TimeProvider time, bool? all, string? limit, string? cursor, CancellationToken cancellationToken)
    {
        if (all == true && !caller.IsAtLeast(WorkspaceRole.Owner))
        {
            return TypedResults.Problem(title: "Forbidden", detail: "Only owners may list everyone's tokens (all=true).", statusCode: StatusCodes.Status403Forbidden);
        }
        var errors = new Dictionary<string, string[]>();
        var take = AccountProblems.ParseLimit(limit, errors);
        var before = AccountProblems.ParseIdCursor(cursor, errors);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var query = Visible(db, caller, everyone: all == true);
        if (before is { } b)
        {
            query = query.Where(x => x.Token.Id < b);
        }
        var rows = await query.OrderByDescending(x => x.Token.Id).Take(take + 1).ToListAsync(cancellationToken);
        var now = time.GetUtcNow().UtcDateTime;
        var next = rows.Count > take ? Cursor.Encode(rows[take - 1].Token.Id) : null;
        return TypedResults.Ok(new PagedList<TokenDto>(rows.Take(take).Select(r => ToDto(r.Token, r.Email, now)).ToList(), next));
    }

    internal static async Task<Results<Ok<TokenDto>, NotFound>> GetAsync(
        long id, Caller caller, LeadwireDbContext db, TimeProvider time, CancellationToken cancellationToken)
    {
        var row = await Visible(db, caller, everyone: caller.IsAtLeast(WorkspaceRole.Owner)).SingleOrDefaultAsync(x => x.Token.Id == id, cancellationToken);
        return row is null ? TypedResults.NotFound() : TypedResults.Ok(ToDto(row.Token, row.Email, time.GetUtcNow().UtcDateTime));
    }

    internal static async Task<Results<NoContent, NotFound>> RevokeAsync(
        long id, Caller caller, LeadwireDbContext db, WriteGate gate, AuditLog audit, TimeProvider time, CancellationToken cancellationToken)
    {
        var found = false;
        await db.InWriteTransactionAsync(gate, async () =>
        {
            var token = await db.ApiTokens.SingleOrDefaultAsync(
                t => t.Id == id && t.WorkspaceId == caller.WorkspaceId && (t.UserId == caller.UserId || caller.Role == WorkspaceRole.Owner), cancellationToken);
            found = token is not null;
            if (token is { RevokedAt: null })
            {
                token.RevokedAt = time.GetUtcNow().UtcDateTime;
                audit.Record(db, caller, "token.revoked", "api_token", AuthApi.Id(token.Id), new { name = token.Name, prefix = token.Prefix, owner_user_id = token.UserId });
            }
        }, cancellationToken);
        return found ? TypedResults.NoContent() : TypedResults.NotFound();
    }

    /// <summary>Member-initialised rather than positional, so EF can still filter and order on it after the projection.</summary>
    private sealed class Row
    {
        public required ApiToken Token { get; init; }
        public required string Email { get; init; }
    }

    private static IQueryable<Row> Visible(LeadwireDbContext db, Caller caller, bool everyone) =>
        from t in db.ApiTokens.AsNoTracking()
        join u in db.Users on t.UserId equals u.Id
        where t.WorkspaceId == caller.WorkspaceId && (everyone || t.UserId == caller.UserId)
        select new Row { Token = t, Email = u.Email };

    private static TokenDto ToDto(ApiToken t, string email, DateTime now) => new(
        t.Id, t.Name, t.Prefix, t.UserId, email,
        t.RevokedAt is not null ? "revoked" : t.ExpiresAt <= now ? "expired" : "active",
        t.CreatedAt, t.LastUsedAt, t.ExpiresAt, t.RevokedAt);
}
