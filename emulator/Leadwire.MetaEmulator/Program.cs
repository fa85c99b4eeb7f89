using System.Runtime.InteropServices;

namespace Leadwire.MetaEmulator;

/// <summary>Standalone entry point: settings from the "Emulator" configuration section (environment variables such as
/// Emulator__AppSecret, or --Emulator:AppSecret=...), the listen address from --urls or ASPNETCORE_URLS.</summary>
internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        var configuration = new ConfigurationBuilder().AddEnvironmentVariables().AddCommandLine(args).Build();
        var settings = new MetaEmulatorSettings
        {
            Urls = configuration["urls"] ?? configuration["ASPNETCORE_URLS"] ?? "http://127.0.0.1:5099",
        };
        configuration.GetSection("Emulator").Bind(settings);
        if (string.IsNullOrWhiteSpace(settings.CallbackUrl))
        {
            settings.CallbackUrl = null;
        }

        MetaEmulatorHost host;
        try
        {
            host = await MetaEmulatorHost.StartAsync(settings);
        }
        catch (ArgumentException exception)
        {
            await Console.Error.WriteLineAsync(exception.Message);
            return 2;
        }

        await using (host)
        {
            var stop = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            void OnSignal(PosixSignalContext context)
            {
                context.Cancel = true;
                stop.TrySetResult();
            }

            using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
            using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
            await Console.Out.WriteLineAsync($"Meta emulator listening on {host.BaseUrl} (Graph at {host.GraphUrl}, control API at {host.BaseUrl}_emulator/)");
            await stop.Task;
        }

        return 0;
    }
}
