using System.Text;

namespace Leadwire.MetaEmulator.State;

/// <summary>Immutable snapshot of the app; replaced as a whole so Graph reads never lock.</summary>
internal sealed class AppConfig(
    string appId,
    string appName,
    string appSecret,
    string verifyToken,
    string? callbackUrl,
    bool requireAppsecretProof,
    IReadOnlyList<string> subscribedFields)
{
    public string AppId { get; } = appId;

    public string AppName { get; } = appName;

    public string AppSecret { get; } = appSecret;

    public string VerifyToken { get; } = verifyToken;

    public string? CallbackUrl { get; } = callbackUrl;

    public bool RequireAppsecretProof { get; } = requireAppsecretProof;

    public IReadOnlyList<string> SubscribedFields { get; } = subscribedFields;

    public byte[] SecretKey { get; } = Encoding.UTF8.GetBytes(appSecret);

    /// <summary>The app access token, "{app-id}|{app-secret}".</summary>
    public string AppToken { get; } = appId + "|" + appSecret;

    public bool ReceivesLeadgen => CallbackUrl is not null && SubscribedFields.Contains("leadgen", StringComparer.Ordinal);

    public static AppConfig FromSettings(MetaEmulatorSettings settings) =>
        new(settings.AppId, settings.AppName, settings.AppSecret, settings.VerifyToken, settings.CallbackUrl,
            settings.RequireAppSecretProof, ["leadgen"]);

    public AppConfig With(AppSettingsUpdate update)
    {
        var callback = update.CallbackUrl is null ? CallbackUrl : update.CallbackUrl.Length == 0 ? null : update.CallbackUrl;
        return new AppConfig(
            update.AppId ?? AppId,
            update.AppName ?? AppName,
            update.AppSecret ?? AppSecret,
            update.VerifyToken ?? VerifyToken,
            callback,
            update.RequireAppsecretProof ?? RequireAppsecretProof,
            SubscribedFields);
    }

    public AppConfig WithSubscription(string? callbackUrl, string verifyToken, IReadOnlyList<string> fields) =>
        new(AppId, AppName, AppSecret, verifyToken, callbackUrl, RequireAppsecretProof, fields);

    public AppSettingsView ToView(string graphVersion) => new()
    {
        AppId = AppId,
        AppName = AppName,
        AppSecret = AppSecret,
        VerifyToken = VerifyToken,
        CallbackUrl = CallbackUrl,
        RequireAppsecretProof = RequireAppsecretProof,
        GraphVersion = graphVersion,
        SubscribedFields = SubscribedFields,
    };
}
