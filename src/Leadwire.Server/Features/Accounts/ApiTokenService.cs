using System.Security.Cryptography;
using System.Text;
using Leadwire.Data;
using Microsoft.EntityFrameworkCore;

namespace Leadwire.Features.Accounts;

/// <summary>
/// Issues and checks per-user API tokens. A token is <c>lw_</c> plus 32 random bytes (base64url); only its SHA-256
/// digest is stored, so a leaked database does not leak working tokens, and the plain token is shown only once.
/// </summary>
public sealed class ApiTokenService(TimeProvider time)
{
    public const string TokenPrefix = "lw_";

    public sealed record Issued(ApiToken Token, string PlainToken);

    public Issued Create(LeadwireDbContext db, long userId, long workspaceId, string name, DateTime? expiresAt)
    {
        var plain = TokenPrefix + Base64Url(RandomNumberGenerator.GetBytes(32));
        var token = new ApiToken
        {
            UserId = userId,
            WorkspaceId = workspaceId,
            Name = name,
            TokenHash = Digest(plain),
            Prefix = plain[..10],
            CreatedAt = time.GetUtcNow().UtcDateTime,
            ExpiresAt = expiresAt,
        };
        db.ApiTokens.Add(token);
        return new Issued(token, plain);
    }

    /// <summary>The live token (not revoked, not expired) with this plain text, or null.</summary>
    public async Task<ApiToken?> FindAsync(LeadwireDbContext db, string plain, CancellationToken cancellationToken)
    {
        if (!plain.StartsWith(TokenPrefix, StringComparison.Ordinal))
        {
            return null;
        }
        var digest = Digest(plain);
        var now = time.GetUtcNow().UtcDateTime;
        var token = await db.ApiTokens.AsNoTracking().SingleOrDefaultAsync(t => t.TokenHash == digest, cancellationToken);
        if (token is null || token.RevokedAt is not null || token.ExpiresAt <= now)
        {
            return null;
        }
        // Record use at most once a minute: a write per API call would be a waste.
        if (token.LastUsedAt is null || now - token.LastUsedAt > TimeSpan.FromMinutes(1))
        {
            await db.ApiTokens.Where(t => t.Id == token.Id).ExecuteUpdateAsync(s => s.SetProperty(t => t.LastUsedAt, now), cancellationToken);
        }
        return token;
    }

    internal static string Digest(string plain) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(plain)));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
