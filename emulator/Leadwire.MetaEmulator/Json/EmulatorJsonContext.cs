using System.Text.Json.Serialization;

namespace Leadwire.MetaEmulator.Json;

/// <summary>Source-generated metadata for the control API, shared by the server side and <see cref="MetaEmulatorClient"/>.</summary>
[JsonSourceGenerationOptions(
    System.Text.Json.JsonSerializerDefaults.Web,
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(AppSettingsView))]
[JsonSerializable(typeof(AppSettingsUpdate))]
[JsonSerializable(typeof(UsageThrottle))]
[JsonSerializable(typeof(CreatePageRequest))]
[JsonSerializable(typeof(PageView))]
[JsonSerializable(typeof(IReadOnlyList<PageView>))]
[JsonSerializable(typeof(RotateTokenRequest))]
[JsonSerializable(typeof(PageTokenView))]
[JsonSerializable(typeof(CreateFormRequest))]
[JsonSerializable(typeof(FormView))]
[JsonSerializable(typeof(IReadOnlyList<FormView>))]
[JsonSerializable(typeof(CreateLeadRequest))]
[JsonSerializable(typeof(LeadView))]
[JsonSerializable(typeof(IReadOnlyList<FieldDataItem>))]
[JsonSerializable(typeof(IReadOnlyList<DisclaimerResponse>))]
[JsonSerializable(typeof(BulkLeadsRequest))]
[JsonSerializable(typeof(BulkLeadsResult))]
[JsonSerializable(typeof(IReadOnlyList<LeadSummary>))]
[JsonSerializable(typeof(DeliverWebhooksRequest))]
[JsonSerializable(typeof(DeliverWebhooksResult))]
[JsonSerializable(typeof(RawWebhookRequest))]
[JsonSerializable(typeof(RawWebhookResult))]
[JsonSerializable(typeof(WebhookBehaviour))]
[JsonSerializable(typeof(WebhookBehaviourUpdate))]
[JsonSerializable(typeof(IReadOnlyList<DeliveryAttempt>))]
[JsonSerializable(typeof(WebhookDeliveryStats))]
[JsonSerializable(typeof(FaultRequest))]
[JsonSerializable(typeof(FaultCreated))]
[JsonSerializable(typeof(IReadOnlyList<FaultView>))]
[JsonSerializable(typeof(IReadOnlyList<GraphRequestRecord>))]
[JsonSerializable(typeof(GraphStatsView))]
internal sealed partial class EmulatorJsonContext : JsonSerializerContext;
