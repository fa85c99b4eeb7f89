namespace Leadwire.MetaEmulator.Webhooks;

internal static class WebhooksSetup
{
    public static IServiceCollection AddWebhookDelivery(this IServiceCollection services) => services
        .AddSingleton<WebhookBehaviourState>()
        .AddSingleton<WebhookCounters>()
        .AddSingleton<WebhookQueue>()
        .AddSingleton<DeliveryLog>()
        .AddSingleton<WebhookSender>()
        .AddSingleton<CallbackVerifier>()
        .AddSingleton<WebhookDispatcher>()
        .AddHostedService(services => services.GetRequiredService<WebhookDispatcher>());
}
