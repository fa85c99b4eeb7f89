using System.Security.Cryptography;
using Leadwire.Data;
using Leadwire.Features.Audit;
using Leadwire.Infrastructure;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Leadwire.Features.Privacy;

/// <summary>The answer Meta expects: where the person can follow their request, and its code.</summary>
public sealed record DataDeletionAnswer(string Url, string ConfirmationCode);

public sealed record DataDeletionStatusDto(string ConfirmationCode, string Status, DateTime ReceivedAt, DateTime? CompletedAt, int LeadsErased, string Message);

/// <summary>
/// Meta's data-deletion request callback: when someone removes the app and asks for their data to be deleted, Meta
/// POSTs a <c>signed_request</c> naming their app-scoped user id. It is verified with the app secret before anything
/// else, recorded, acted on, and answered with a public status link and a confirmation code.
/// </summary>
public static class MetaDataDeletion
{
    public const string Actor = "meta data-deletion request";

    /// <summary>A signed request is a few hundred characters; nothing else in the form is read.</summary>
    private static readonly FormOptions FormLimits = new() { ValueLengthLimit = 16 * 1024, ValueCountLimit = 16, KeyLengthLimit = 128, BufferBody = false };

    public static IEndpointRouteBuilder MapMetaDataDeletion(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/meta/data-deletion").WithTags("Privacy");
        group.MapPost("/", ReceiveAsync).WithSummary("Meta's data-deletion callback (form field signed_request)");
        group.MapGet("/{code}", StatusAsync).WithSummary("The public status of a data-deletion request, by confirmation code");
        return app;
    }

    internal static async Task<Results<Ok<DataDeletionAnswer>, ProblemHttpResult>> ReceiveAsync(
        HttpContext http, IOptions<MetaOptions> meta, IOptions<PrivacyOptions> privacy, LeadwireDbContext db, WriteGate gate,
        LeadEraser eraser, IEnumerable<IMetaUserLeadLocator> locators, AuditLog audit, TimeProvider time, CancellationToken cancellationToken)
    {
        var secret = meta.Value.AppSecretBytes;
        if (secret.Length == 0)
        {
            // An empty key would let anyone sign a request; demo mode always has a secret, so this is a misconfiguration.
            return TypedResults.Problem(title: "Not configured", detail: "Leadwire:Meta:AppSecret is not set.", statusCode: StatusCodes.Status503ServiceUnavailable);
        }
        if (!http.Request.HasFormContentType)
        {
            return Invalid("Send signed_request as a form field (application/x-www-form-urlencoded).");
        }
        string? signedRequest;
        try
        {
            var form = await new FormFeature(http.Request, FormLimits).ReadFormAsync(cancellationToken);
            signedRequest = form["signed_request"].ToString();
        }
        catch (InvalidDataException)
        {
            return Invalid("The form is larger than a signed request can be.");
        }
        if (!SignedRequest.TryParse(signedRequest, secret, out var payload, out var error))
        {
            return Invalid(error);
        }
        if (payload.UserId.Length > 64)
        {
            return Invalid("The payload's user_id is longer than an app-scoped user id can be.");
        }

        var now = time.GetUtcNow().UtcDateTime;
        var request = new DataDeletionRequest
        {
            ConfirmationCode = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)),
            MetaUserId = payload.UserId,
            ReceivedAt = now,
            Status = DataDeletionStatus.Received,
        };
        await db.InWriteTransactionAsync(gate, async () =>
        {
            db.Add(request);
            var leadIds = new HashSet<long>();
            foreach (var locator in locators)
            {
                leadIds.UnionWith(await locator.FindLeadsAsync(db, payload.UserId, cancellationToken));
            }
            var erased = new List<ErasedLead>();
            foreach (var chunk in leadIds.Chunk(privacy.Value.EraseBatchSize))
            {
                erased.AddRange(await eraser.EraseAsync(db, chunk, null, Actor, cancellationToken));
            }
            foreach (var workspace in erased.GroupBy(e => e.WorkspaceId))
            {
                audit.Record(db, null, Actor, workspace.Key, "lead.erased", "data_deletion_request", request.ConfirmationCode, new { count = workspace.Count() });
            }
            request.LeadsErased = erased.Count;
            request.Status = DataDeletionStatus.Completed;
            request.CompletedAt = now;
            audit.Record(db, null, Actor, null, "privacy.data_deletion_requested", "data_deletion_request", request.ConfirmationCode, new { leads_erased = erased.Count });
        }, cancellationToken);

        var baseUrl = privacy.Value.PublicBaseUrl?.TrimEnd('/') ?? $"{http.Request.Scheme}://{http.Request.Host}{http.Request.PathBase}";
        return TypedResults.Ok(new DataDeletionAnswer($"{baseUrl}/meta/data-deletion/{request.ConfirmationCode}", request.ConfirmationCode));
    }

    internal static async Task<Results<Ok<DataDeletionStatusDto>, ProblemHttpResult>> StatusAsync(string code, LeadwireDbContext db, CancellationToken cancellationToken)
    {
        var request = code.Length > 64
            ? null
            : await db.Set<DataDeletionRequest>().AsNoTracking().SingleOrDefaultAsync(r => r.ConfirmationCode == code, cancellationToken);
        if (request is null)
        {
            return TypedResults.Problem(title: "Not found", detail: "No data-deletion request has this confirmation code.", statusCode: StatusCodes.Status404NotFound);
        }
        var message = request.Status != DataDeletionStatus.Completed
            ? "The request was received and is being processed."
            : request.LeadsErased > 0
                ? $"Done: personal data was erased from {request.LeadsErased} record(s)."
                : "Done: Leadwire holds no data linked to your Facebook account. Lead Ads form answers are not linked to it.";
        return TypedResults.Ok(new DataDeletionStatusDto(
            request.ConfirmationCode, request.Status.ToString().ToLowerInvariant(), request.ReceivedAt, request.CompletedAt, request.LeadsErased, message));
    }

    private static ProblemHttpResult Invalid(string detail) =>
        TypedResults.Problem(title: "Invalid signed_request", detail: detail, statusCode: StatusCodes.Status400BadRequest);
}
