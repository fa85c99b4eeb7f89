using System.Globalization;
using Leadwire.Data;
using Leadwire.Features.Accounts;
using Leadwire.Features.Pages;
using Leadwire.Infrastructure;
using Leadwire.MetaEmulator;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Leadwire.Features.Demo;

/// <summary>
/// Once Leadwire listens: subscribes the emulated app to our webhook URL the way Meta does (the GET handshake runs
/// against us), creates a demo page and form, and registers the page as a user would through the API.
/// </summary>
internal sealed partial class DemoSeeder(
    MetaEmulatorHost emulator,
    DemoSeed seed,
    IServer server,
    IHostApplicationLifetime lifetime,
    IServiceScopeFactory scopes,
    IOptionsMonitor<MetaOptions> meta,
    ILogger<DemoSeeder> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var registration = lifetime.ApplicationStarted.Register(() => started.TrySetResult());
        await started.Task.WaitAsync(stoppingToken);

        try
        {
            var address = server.Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
            var root = new UriBuilder(address);
            if (root.Host is "0.0.0.0" or "[::]" or "+" or "*")
            {
                root.Host = "127.0.0.1";
            }
            var callback = new Uri(root.Uri, "/webhooks/meta");
            await SubscribeAsync(callback, stoppingToken);

            var page = await emulator.Client.CreatePageAsync(new CreatePageRequest { Name = "Leadwire Demo Page" }, stoppingToken);
            var form = await emulator.Client.CreateFormAsync(new CreateFormRequest
            {
                PageId = page.Id,
                Name = "Demo: book a test drive",
                Questions =
                [
                    new QuestionRequest { Type = "FULL_NAME" },
                    new QuestionRequest { Type = "EMAIL" },
                    new QuestionRequest { Type = "PHONE" },
                    new QuestionRequest { Type = "CITY" },
                    new QuestionRequest { Type = "CUSTOM", Key = "preferred_model", Label = "Which model interests you?" },
                ],
            }, stoppingToken);

            await using (var scope = scopes.CreateAsyncScope())
            {
                var registrationService = scope.ServiceProvider.GetRequiredService<PageRegistration>();
                // The demo page goes to the first workspace, which the bootstrap (demo) token's account owns.
                var db = scope.ServiceProvider.GetRequiredService<LeadwireDbContext>();
                var owner = await db.Memberships.AsNoTracking().Where(m => m.Role == WorkspaceRole.Owner)
                    .OrderBy(m => m.WorkspaceId).ThenBy(m => m.UserId).FirstAsync(stoppingToken);
                var caller = new Caller(owner.UserId, "demo", owner.WorkspaceId, owner.Role, null, ViaBootstrapToken: false);
                var outcome = await registrationService.RegisterAsync(caller, page.Id, page.Name, page.AccessToken, stoppingToken);
                if (outcome is PageRegistration.Outcome.Rejected rejected)
                {
                    throw new InvalidOperationException($"The demo page could not be registered: {rejected.Reason}");
                }
            }

            seed.Complete(page.Id, form.Id);
            LogReady(logger, root.Uri.ToString().TrimEnd('/'));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            seed.Fail(e);
            LogFailed(logger, e);
        }
    }

    /// <summary>POST /{app-id}/subscriptions with the app token: the emulator performs Meta's GET handshake on us.</summary>
    private async Task SubscribeAsync(Uri callback, CancellationToken cancellationToken)
    {
        var options = meta.CurrentValue;
        using var http = new HttpClient();
        using var content = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["object"] = "page",
            ["callback_url"] = callback.ToString(),
            ["fields"] = "leadgen",
            ["verify_token"] = options.VerifyToken!,
            ["access_token"] = $"{options.AppId}|{options.AppSecret}",
        });
        using var response = await http.PostAsync(
            new Uri(emulator.GraphUrl, $"{options.AppId}/subscriptions"), content, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                $"Subscribing the demo app to {callback} failed ({(int)response.StatusCode}): {body}"));
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await emulator.DisposeAsync();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Demo mode ready: open {Root}/ and press 'Send test lead', or: curl -X POST {Root}/demo/test-lead")]
    private static partial void LogReady(ILogger logger, string root);

    [LoggerMessage(Level = LogLevel.Error, Message = "Demo mode could not seed the emulator")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
