using Leadwire.Features.Export;
using Leadwire.Features.Jobs;

namespace Leadwire.Features.Bulk;

/// <summary>The Program.cs lines of bulk operations and lead export.</summary>
public static class BulkSetup
{
    public static WebApplicationBuilder AddBulk(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<BulkOptions>().BindConfiguration(BulkOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<BulkExportFiles>();
        builder.Services.AddSingleton<IJobHandler, RunBulkOperation>();
        builder.Services.AddSingleton<IJobHandler, ExpireBulkExport>();
        return builder;
    }

    /// <summary><c>GET /api/v1/leads/export</c> and <c>/api/v1/bulk-operations</c>.</summary>
    public static IEndpointRouteBuilder MapBulkAndExportApi(this IEndpointRouteBuilder app)
    {
        app.MapExportApi();
        app.MapBulkOperationsApi();
        return app;
    }
}
