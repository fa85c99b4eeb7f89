namespace Leadwire.MetaEmulator.State;

internal static class StateSetup
{
    public static IServiceCollection AddEmulatorState(this IServiceCollection services, MetaEmulatorSettings settings) => services
        .AddSingleton(settings)
        .AddSingleton(settings.Time ?? TimeProvider.System)
        .AddSingleton<EmulatorState>()
        .AddSingleton<PageOperations>()
        .AddSingleton<FormOperations>()
        .AddSingleton<LeadOperations>();
}
