using Leadwire.Data;
using Leadwire.Features.Audit;
using Leadwire.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Leadwire.Features.Accounts;

/// <summary><c>password</c> and <c>display_name</c> are used only when the email has no account yet.</summary>
public sealed record AddMemberRequest(string? Email, string? Role, string? Password, string? DisplayName);

public sealed record ChangeRoleRequest(string? Role);

public sealed record MemberDto(long UserId, string Email, string? DisplayName, string Role, DateTime JoinedAt, DateTime? LastSignInAt);

/// <summary>The people of the current workspace. Owners manage them; admins may read the list.</summary>
public static class MembersApi
{
    public static IEndpointRouteBuilder MapMembersApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/workspace/members").WithTags("Members");
        group.MapGet("/", ListAsync).RequireRole(WorkspaceRole.Admin).WithSummary("The workspace's members and their roles");
        group.MapPost("/", AddAsync).RequireRole(WorkspaceRole.Owner)
            .WithSummary("Add a member by email with a role; a new email gets an account with the given password");
        group.MapPatch("/{userId:long}", ChangeRoleAsync).RequireRole(WorkspaceRole.Owner).WithSummary("Change a member's role");
        group.MapDelete("/{userId:long}", RemoveAsync).RequireRole(WorkspaceRole.Owner)
            .WithSummary("Remove a member; their API tokens for this workspace are revoked");
        return app;
    }

    internal static async Task<Results<Ok<PagedList<MemberDto>>, ValidationProblem>> ListAsync(
        Caller caller, LeadwireDbContext db, string? limit, string? cursor, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        var take = AccountProblems.ParseLimit(limit, errors);
        var after = AccountProblems.ParseIdCursor(cursor, errors);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }
        var rows = await Members(db, caller.WorkspaceId, after, take + 1).ToListAsync(cancellationToken);
        var next = rows.Count > take ? Cursor.Encode(rows[take - 1].UserId) : null;
        return TypedResults.Ok(new PagedList<MemberDto>(rows.Take(take).ToList(), next));
    }

    internal static async Task<Results<Created<MemberDto>, ValidationProblem, ProblemHttpResult>> AddAsync(
        AddMemberRequest request, Caller caller, LeadwireDbContext db, UserManager<UserAccount> users, WriteGate gate, AuditLog audit,
        DatabaseDialect dialect, TimeProvider time, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(request.Email) || AccountProblems.TooLong(request.Email, 256) || !request.Email.Contains('@', StringComparison.Ordinal))
        {
            errors["email"] = ["email is required: an email address of at most 256 characters."];
        }
        if (!RoleNames.TryParse(request.Role, out var role))
        {
            errors["role"] = [RoleNames.Allowed];
        }
        if (AccountProblems.TooLong(request.DisplayName, 200))
        {
            errors["display_name"] = ["display_name is at most 200 characters."];
        }
        if (request.Password is { Length: > 1024 })
        {
            errors["password"] = ["password is at most 1024 characters."];
        }
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var email = request.Email!.Trim();
        var now = time.GetUtcNow().UtcDateTime;
        try
        {
            using var permit = await gate.EnterAsync(cancellationToken);
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var user = await users.FindByEmailAsync(email);
            var createdUser = user is null;
            if (user is null)
            {
                if (string.IsNullOrEmpty(request.Password))
                {
                    return TypedResults.ValidationProblem(new Dictionary<string, string[]>
                    {
                        ["password"] = ["password is required: this email has no Leadwire account yet, and one is created for it."],
                    });
                }
                user = new UserAccount
                {
                    Email = email,
                    NormalizedEmail = users.NormalizeEmail(email),
                    SecurityStamp = Guid.NewGuid().ToString("N"),
                    DisplayName = string.IsNullOrWhiteSpace(request.DisplayName) ? null : request.DisplayName.Trim(),
                    CreatedAt = now,
                };
                var created = await users.CreateAsync(user, request.Password);
                if (!created.Succeeded)
                {
                    return AccountProblems.Unprocessable(created, "password");
                }
            }
            // An existing account keeps its own password: an owner adds people, never takes over their accounts.
            else if (await db.Memberships.AnyAsync(m => m.WorkspaceId == caller.WorkspaceId && m.UserId == user.Id, cancellationToken))
            {
                return AlreadyMember(email);
            }

            db.Memberships.Add(new Membership { WorkspaceId = caller.WorkspaceId, UserId = user.Id, Role = role, CreatedAt = now });
            audit.Record(db, caller, "member.added", "user", AuthApi.Id(user.Id), new { email = user.Email, role = role.ToWire(), created_account = createdUser });
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return TypedResults.Created($"/api/v1/workspace/members/{user.Id}", new MemberDto(user.Id, user.Email, user.DisplayName, role.ToWire(), now, user.LastSignInAt));
        }
        catch (DbUpdateException e) when (dialect.IsUniqueViolation(e))
        {
            // Two owners adding the same person (or the same new email) at the same moment: one of them wins.
            return AlreadyMember(email);
        }
    }

    internal static async Task<Results<Ok<MemberDto>, ValidationProblem, NotFound, ProblemHttpResult>> ChangeRoleAsync(
        long userId, ChangeRoleRequest request, Caller caller, LeadwireDbContext db, WriteGate gate, AuditLog audit, DatabaseDialect dialect,
        CancellationToken cancellationToken)
    {
        if (!RoleNames.TryParse(request.Role, out var role))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["role"] = [RoleNames.Allowed] });
        }

        using var permit = await gate.EnterAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await LockWorkspaceAsync(db, dialect, caller.WorkspaceId, cancellationToken);
        var membership = await db.Memberships.SingleOrDefaultAsync(m => m.WorkspaceId == caller.WorkspaceId && m.UserId == userId, cancellationToken);
        if (membership is null)
        {
            return TypedResults.NotFound();
        }
        var previous = membership.Role;
        if (previous != role)
        {
            if (previous == WorkspaceRole.Owner && !await HasOtherOwnerAsync(db, caller.WorkspaceId, userId, cancellationToken))
            {
                return LastOwner("demote");
            }
            membership.Role = role;
            audit.Record(db, caller, "member.role_changed", "user", AuthApi.Id(userId), new { from = previous.ToWire(), to = role.ToWire() });
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        var member = await Members(db, caller.WorkspaceId, userId - 1, 1).SingleAsync(cancellationToken);
        return TypedResults.Ok(member);
    }

    internal static async Task<Results<NoContent, NotFound, ProblemHttpResult>> RemoveAsync(
        long userId, Caller caller, LeadwireDbContext db, WriteGate gate, AuditLog audit, DatabaseDialect dialect, TimeProvider time,
        CancellationToken cancellationToken)
    {
        using var permit = await gate.EnterAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await LockWorkspaceAsync(db, dialect, caller.WorkspaceId, cancellationToken);
        var membership = await db.Memberships.SingleOrDefaultAsync(m => m.WorkspaceId == caller.WorkspaceId && m.UserId == userId, cancellationToken);
        if (membership is null)
        {
            return TypedResults.NotFound();
        }
        if (membership.Role == WorkspaceRole.Owner && !await HasOtherOwnerAsync(db, caller.WorkspaceId, userId, cancellationToken))
        {
            return LastOwner("remove");
        }

        db.Memberships.Remove(membership);
        // Without a membership the tokens already stop working (the role is read on every request); revoking them
        // as well keeps them from coming back to life if the person is added again later.
        var now = time.GetUtcNow().UtcDateTime;
        var revoked = await db.ApiTokens
            .Where(t => t.WorkspaceId == caller.WorkspaceId && t.UserId == userId && t.RevokedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.RevokedAt, now), cancellationToken);
        var email = await db.Users.Where(u => u.Id == userId).Select(u => u.Email).SingleAsync(cancellationToken);
        audit.Record(db, caller, "member.removed", "user", AuthApi.Id(userId), new { email, role = membership.Role.ToWire(), tokens_revoked = revoked });
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return TypedResults.NoContent();
    }

    /// <summary>Members in user id order, after <paramref name="afterUserId"/>.</summary>
    private static IQueryable<MemberDto> Members(LeadwireDbContext db, long workspaceId, long? afterUserId, int take) =>
        (from m in db.Memberships.AsNoTracking()
         join u in db.Users on m.UserId equals u.Id
         where m.WorkspaceId == workspaceId && (afterUserId == null || m.UserId > afterUserId)
         orderby m.UserId
         select new { m, u })
        .Take(take)
        .Select(x => new MemberDto(
            x.u.Id, x.u.Email, x.u.DisplayName,
            x.m.Role == WorkspaceRole.Owner ? "owner" : x.m.Role == WorkspaceRole.Admin ? "admin" : "agent",
            x.m.CreatedAt, x.u.LastSignInAt));

    private static Task<bool> HasOtherOwnerAsync(LeadwireDbContext db, long workspaceId, long userId, CancellationToken cancellationToken) =>
        db.Memberships.AnyAsync(m => m.WorkspaceId == workspaceId && m.Role == WorkspaceRole.Owner && m.UserId != userId, cancellationToken);

    /// <summary>
    /// Serialises membership changes of one workspace, so two owners demoting each other at the same moment cannot
    /// leave it without an owner. SQLite needs nothing more: the write gate already admits one writer at a time.
    /// </summary>
    private static async Task LockWorkspaceAsync(LeadwireDbContext db, DatabaseDialect dialect, long workspaceId, CancellationToken cancellationToken)
    {
        if (dialect.Provider == DatabaseProvider.Postgres)
        {
            await db.Database.ExecuteSqlAsync($"SELECT id FROM workspaces WHERE id = {workspaceId} FOR UPDATE", cancellationToken);
        }
    }

    private static ProblemHttpResult LastOwner(string verb) => TypedResults.Problem(
        title: "Last owner",
        detail: $"A workspace needs at least one owner; make someone else an owner before you {verb} this one.",
        statusCode: StatusCodes.Status409Conflict);

    private static ProblemHttpResult AlreadyMember(string email) => TypedResults.Problem(
        title: "Already a member",
        detail: $"{email} is already a member of this workspace; change their role with PATCH /api/v1/workspace/members/{{user_id}}.",
        statusCode: StatusCodes.Status409Conflict);
}
