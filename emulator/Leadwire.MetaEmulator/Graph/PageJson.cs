using System.Collections.Frozen;
using System.Text.Json;
using Leadwire.MetaEmulator.State;

namespace Leadwire.MetaEmulator.Graph;

/// <summary>The Page and Application nodes: just enough for a client to check who it is talking to.</summary>
internal static class PageJson
{
    private const int Name = 1 << 1;
    private const int AccessToken = 1 << 2;

    private static readonly JsonEncodedText IdName = JsonEncodedText.Encode("id");
    private static readonly JsonEncodedText NameName = JsonEncodedText.Encode("name");
    private static readonly JsonEncodedText AccessTokenName = JsonEncodedText.Encode("access_token");

    public static FieldSelector PageFields { get; } = new(
        "Page",
        new Dictionary<string, int>(StringComparer.Ordinal)
        {
            ["id"] = FieldSelector.Id,
            ["name"] = Name,
            ["access_token"] = AccessToken,
        }.ToFrozenDictionary(StringComparer.Ordinal),
        FieldSelector.Id | Name);

    public static FieldSelector AppFields { get; } = new(
        "Application",
        new Dictionary<string, int>(StringComparer.Ordinal)
        {
            ["id"] = FieldSelector.Id,
            ["name"] = Name,
        }.ToFrozenDictionary(StringComparer.Ordinal),
        FieldSelector.Id | Name);

    public static void WritePage(Utf8JsonWriter writer, PageState page, int mask)
    {
        writer.WriteStartObject();
        if ((mask & Name) != 0)
        {
            writer.WriteString(NameName, page.Name);
        }

        if ((mask & AccessToken) != 0)
        {
            writer.WriteString(AccessTokenName, page.Token.Value);
        }

        writer.WriteString(IdName, page.Id);
        writer.WriteEndObject();
    }

    public static void WriteApp(Utf8JsonWriter writer, AppConfig app, int mask)
    {
        writer.WriteStartObject();
        if ((mask & Name) != 0)
        {
            writer.WriteString(NameName, app.AppName);
        }

        writer.WriteString(IdName, app.AppId);
        writer.WriteEndObject();
    }
}
