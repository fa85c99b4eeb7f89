using Leadwire.Features.Jobs;

namespace Leadwire.Features.Privacy;

/// <summary>Erasure, retention and Meta's data-deletion callback: one <c>AddPrivacy</c> and one <c>MapPrivacy</c>.</summary>
public static class PrivacySetup
{
    public static WebApplicationBuilder AddPrivacy(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<PrivacyOptions>().BindConfiguration(PrivacyOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<LeadEraser>();
        builder.Services.AddSingleton<LeadRetention>();
        builder.Services.AddSingleton<IJobHandler, ApplyRetention>();
        builder.Services.AddSingleton<RetentionScheduler>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<RetentionScheduler>());
        return builder;
    }

    public static IEndpointRouteBuilder MapPrivacy(this IEndpointRouteBuilder app)
    {
        app.MapLeadErasure();
        app.MapMetaDataDeletion();
        return app;
    }
}
