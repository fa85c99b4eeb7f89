using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Serialization.Metadata;
using Leadwire.MetaEmulator.Json;

namespace Leadwire.MetaEmulator;

/// <summary>
/// Typed access to the control API (/_emulator/...). The HttpClient's BaseAddress must be the emulator root.
/// A non-success answer throws <see cref="HttpRequestException"/> carrying the status and the ProblemDetails text.
/// </summary>
public sealed class MetaEmulatorClient(HttpClient http)
{
    private static EmulatorJsonContext Json => EmulatorJsonContext.Default;

    public Task ResetAsync(CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Post, "_emulator/reset", cancellationToken);

    public Task<AppSettingsView> GetAppAsync(CancellationToken cancellationToken = default) =>
        GetAsync("_emulator/app", Json.AppSettingsView, cancellationToken);

    public Task<AppSettingsView> UpdateAppAsync(AppSettingsUpdate update, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Put, "_emulator/app", update, Json.AppSettingsUpdate, Json.AppSettingsView, cancellationToken);

    public Task<UsageThrottle> SetAppThrottleAsync(UsageThrottle throttle, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Put, "_emulator/app/throttle", throttle, Json.UsageThrottle, Json.UsageThrottle, cancellationToken);

    public Task<PageView> CreatePageAsync(CreatePageRequest request, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Post, "_emulator/pages", request, Json.CreatePageRequest, Json.PageView, cancellationToken);

    public Task<IReadOnlyList<PageView>> ListPagesAsync(CancellationToken cancellationToken = default) =>
        GetAsync("_emulator/pages", Json.IReadOnlyListPageView, cancellationToken);

    /// <summary>New token for the page; the old one answers 190/467 from now on.</summary>
    public Task<PageTokenView> RotatePageTokenAsync(string pageId, RotateTokenRequest? request = null, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Post, $"_emulator/pages/{Escape(pageId)}/token", request ?? new RotateTokenRequest(), Json.RotateTokenRequest, Json.PageTokenView, cancellationToken);

    /// <summary>The current token expires now and answers 190/463.</summary>
    public Task<PageTokenView> ExpirePageTokenAsync(string pageId, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Post, $"_emulator/pages/{Escape(pageId)}/expire-token", Json.PageTokenView, cancellationToken);

    public Task<UsageThrottle> SetPageThrottleAsync(string pageId, UsageThrottle throttle, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Put, $"_emulator/pages/{Escape(pageId)}/throttle", throttle, Json.UsageThrottle, Json.UsageThrottle, cancellationToken);

    public Task<FormView> CreateFormAsync(CreateFormRequest request, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Post, "_emulator/forms", request, Json.CreateFormRequest, Json.FormView, cancellationToken);

    public Task<IReadOnlyList<FormView>> ListFormsAsync(string? pageId = null, CancellationToken cancellationToken = default) =>
        GetAsync(pageId is null ? "_emulator/forms" : $"_emulator/forms?page_id={Escape(pageId)}", Json.IReadOnlyListFormView, cancellationToken);

    public Task<LeadView> CreateLeadAsync(CreateLeadRequest request, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Post, "_emulator/leads", request, Json.CreateLeadRequest, Json.LeadView, cancellationToken);

    public Task<BulkLeadsResult> CreateLeadsBulkAsync(BulkLeadsRequest request, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Post, "_emulator/leads/bulk", request, Json.BulkLeadsRequest, Json.BulkLeadsResult, cancellationToken);

    /// <summary>Newest first; all forms when <paramref name="formId"/> is null.</summary>
    public Task<IReadOnlyList<LeadSummary>> ListLeadsAsync(string? formId = null, int? limit = null, CancellationToken cancellationToken = default) =>
        GetAsync(WithQuery("_emulator/leads", ("form_id", formId), ("limit", Number(limit))), Json.IReadOnlyListLeadSummary, cancellationToken);

    public Task<DeliverWebhooksResult> DeliverWebhooksAsync(IEnumerable<string> leadIds, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Post, "_emulator/webhooks/deliver", new DeliverWebhooksRequest { LeadIds = [.. leadIds] }, Json.DeliverWebhooksRequest, Json.DeliverWebhooksResult, cancellationToken);

    public Task<RawWebhookResult> SendRawWebhookAsync(RawWebhookRequest request, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Post, "_emulator/webhooks/raw", request, Json.RawWebhookRequest, Json.RawWebhookResult, cancellationToken);

    public Task<WebhookBehaviour> GetWebhookBehaviourAsync(CancellationToken cancellationToken = default) =>
        GetAsync("_emulator/webhooks/behaviour", Json.WebhookBehaviour, cancellationToken);

    public Task<WebhookBehaviour> SetWebhookBehaviourAsync(WebhookBehaviourUpdate update, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Put, "_emulator/webhooks/behaviour", update, Json.WebhookBehaviourUpdate, Json.WebhookBehaviour, cancellationToken);

    /// <summary>Most recent delivery attempts, oldest first.</summary>
    public Task<IReadOnlyList<DeliveryAttempt>> GetWebhookLogAsync(int? limit = null, CancellationToken cancellationToken = default) =>
        GetAsync(WithQuery("_emulator/webhooks/log", ("limit", Number(limit))), Json.IReadOnlyListDeliveryAttempt, cancellationToken);

    public Task<WebhookDeliveryStats> GetWebhookStatsAsync(CancellationToken cancellationToken = default) =>
        GetAsync("_emulator/webhooks/stats", Json.WebhookDeliveryStats, cancellationToken);

    public Task<FaultCreated> AddFaultAsync(FaultRequest request, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Post, "_emulator/faults", request, Json.FaultRequest, Json.FaultCreated, cancellationToken);

    public Task<IReadOnlyList<FaultView>> ListFaultsAsync(CancellationToken cancellationToken = default) =>
        GetAsync("_emulator/faults", Json.IReadOnlyListFaultView, cancellationToken);

    public Task ClearFaultsAsync(CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Delete, "_emulator/faults", cancellationToken);

    public Task RemoveFaultAsync(string faultId, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Delete, $"_emulator/faults/{Escape(faultId)}", cancellationToken);

    /// <summary>Most recent Graph requests, oldest first, credentials removed from the query.</summary>
    public Task<IReadOnlyList<GraphRequestRecord>> GetRequestsAsync(int? limit = null, CancellationToken cancellationToken = default) =>
        GetAsync(WithQuery("_emulator/requests", ("limit", Number(limit))), Json.IReadOnlyListGraphRequestRecord, cancellationToken);

    public Task<GraphStatsView> GetStatsAsync(CancellationToken cancellationToken = default) =>
        GetAsync("_emulator/stats", Json.GraphStatsView, cancellationToken);

    private async Task<T> GetAsync<T>(string path, JsonTypeInfo<T> responseType, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync(new Uri(path, UriKind.Relative), cancellationToken);
        return await ReadAsync(response, responseType, cancellationToken);
    }

    private async Task SendAsync(HttpMethod method, string path, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        using var response = await http.SendAsync(request, cancellationToken);
        await EnsureSuccessAsync(response, cancellationToken);
    }

    private async Task<T> SendAsync<T>(HttpMethod method, string path, JsonTypeInfo<T> responseType, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        using var response = await http.SendAsync(request, cancellationToken);
        return await ReadAsync(response, responseType, cancellationToken);
    }

    private async Task<TResponse> SendAsync<TRequest, TResponse>(
        HttpMethod method,
        string path,
        TRequest body,
        JsonTypeInfo<TRequest> requestType,
        JsonTypeInfo<TResponse> responseType,
        CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative))
        {
            Content = JsonContent.Create(body, requestType),
        };
        using var response = await http.SendAsync(request, cancellationToken);
        return await ReadAsync(response, responseType, cancellationToken);
    }

    private static async Task<T> ReadAsync<T>(HttpResponseMessage response, JsonTypeInfo<T> type, CancellationToken cancellationToken)
    {
        await EnsureSuccessAsync(response, cancellationToken);
        return await response.Content.ReadFromJsonAsync(type, cancellationToken)
            ?? throw new HttpRequestException($"Emulator answered {response.RequestMessage?.RequestUri} with an empty body.");
    }

    private static async Task EnsureSuccessAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        throw new HttpRequestException(
            $"Emulator control call {response.RequestMessage?.Method} {response.RequestMessage?.RequestUri} failed with {(int)response.StatusCode}: {body}",
            null,
            response.StatusCode);
    }

    private static string Escape(string value) => Uri.EscapeDataString(value);

    private static string? Number(int? value) => value?.ToString(CultureInfo.InvariantCulture);

    private static string WithQuery(string path, params ReadOnlySpan<(string Name, string? Value)> parameters)
    {
        var separator = '?';
        foreach (var (name, value) in parameters)
        {
            if (value is not null)
            {
                path += separator + name + "=" + Escape(value);
                separator = '&';
            }
        }

        return path;
    }
}
