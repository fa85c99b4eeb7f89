using System.Globalization;
using Leadwire.Data;
using Leadwire.Features.Accounts;
using Leadwire.Features.Audit;
using Leadwire.Features.Leads;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Leadwire.Features.Export;

/// <summary>
/// <c>GET /api/v1/leads/export</c>: the lead list's filters as a file, streamed as the leads are read, so the first
/// bytes leave at once and the server holds one batch however large the export.
/// </summary>
public static partial class ExportApi
{
    public static IEndpointRouteBuilder MapExportApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/leads/export", ExportAsync)
            .RequireRole(WorkspaceRole.Agent)
            .WithTags("Export")
            .WithSummary("Download the leads matching the list's filters as CSV, JSON lines or Excel, streamed")
            .WithDescription("format=csv|jsonl|xlsx (default csv) and any of the lead list's filters. Admins and owners only.")
            .Produces(StatusCodes.Status200OK, contentType: "text/csv")
            .Produces(StatusCodes.Status200OK, contentType: "application/x-ndjson")
            .Produces(StatusCodes.Status200OK, contentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
        return app;
    }

    /// <summary><c>leads-20260131-0915.csv</c>: the minute the export started, UTC.</summary>
    public static string FileName(DateTime at, ExportFormat format) =>
        $"leads-{at.ToString("yyyyMMdd-HHmm", CultureInfo.InvariantCulture)}.{format.FileExtension()}";

    internal static async Task<Results<PushStreamHttpResult, ValidationProblem, ProblemHttpResult>> ExportAsync(
        HttpContext http, Caller caller, LeadwireDbContext db, TimeProvider time, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        if (caller.SeesOnlyOwnLeads)
        {
            return TypedResults.Problem(
                title: "Forbidden", detail: "Agents cannot export leads; ask an admin or owner of the workspace.", statusCode: StatusCodes.Status403Forbidden);
        }

        var errors = new Dictionary<string, string[]>();
        var formatText = http.Request.Query["format"].ToString();
        var format = ExportFormat.Csv;
        if (formatText.Length > 0 && !ExportFormats.TryParse(formatText, out format))
        {
            errors["format"] = ["Use csv, jsonl or xlsx."];
        }
        var filter = LeadFilter.Parse(http.Request.Query, caller, errors);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var through = await db.Leads.MaxAsync(l => (long?)l.Id, cancellationToken) ?? 0;
        var leads = new FilteredLeads(caller, filter, through);
        if (format == ExportFormat.Xlsx && await leads.CountAsync(db, cancellationToken) >= XlsxTableWriter.MaxRows)
        {
            return TypedResults.Problem(new HttpValidationProblemDetails(new Dictionary<string, string[]>
            {
                ["format"] = [$"An Excel sheet holds at most {XlsxTableWriter.MaxRows - 1:N0} leads; narrow the filters or use csv or jsonl."],
            })
            {
                Title = "Too many leads for Excel",
                Status = StatusCodes.Status422UnprocessableEntity,
            });
        }

        var startedAt = time.GetUtcNow().UtcDateTime;
        http.Response.Headers.CacheControl = "no-store";
        var logger = loggers.CreateLogger(typeof(ExportApi));
        return TypedResults.Stream(
            async body =>
            {
                LeadExportResult? result = null;
                long sent = 0;
                try
                {
                    await using var writer = TableWriter.Create(format, body);
                    result = await LeadExport.WriteAsync(db, leads, caller.WorkspaceId, writer, p =>
                    {
                        sent = p.Written;
                        return Task.CompletedTask;
                    }, http.RequestAborted);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // The status line has gone already; all that is left is to cut the response short, which the
                    // client sees as a broken download rather than a complete-looking file.
                    LogExportFailed(logger, e);
                    http.Abort();
                }
                finally
                {
                    await RecordAsync(http, caller, format, filter, result?.Written ?? sent, result is not null);
                }
            },
            format.ContentType(),
            FileName(startedAt, format));
    }

    /// <summary>
    /// Audited when the download ends, completed or cut off, so the entry says how many leads left the server. It
    /// runs in a scope of its own because the request's may be ending (the client went away).
    /// </summary>
    private static async Task RecordAsync(HttpContext http, Caller caller, ExportFormat format, LeadFilter filter, long rows, bool completed)
    {
        await using var scope = http.RequestServices.GetRequiredService<IServiceScopeFactory>().CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<LeadwireDbContext>();
        var gate = scope.ServiceProvider.GetRequiredService<WriteGate>();
        var audit = scope.ServiceProvider.GetRequiredService<AuditLog>();
        await db.InWriteTransactionAsync(gate, () =>
        {
            audit.Record(db, caller, "leads.exported", "leads", null, new
            {
                format = format.FileExtension(),
                filter = LeadFilterJson.ToElement(filter),
                row_count = rows,
                completed,
                via = "download",
            });
            return Task.CompletedTask;
        }, CancellationToken.None);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "A lead export failed part-way; the download was cut short")]
    private static partial void LogExportFailed(ILogger logger, Exception exception);
}
