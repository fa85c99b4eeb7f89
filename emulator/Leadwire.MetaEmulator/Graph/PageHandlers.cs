using System.Text.Json;
using Leadwire.MetaEmulator.State;

namespace Leadwire.MetaEmulator.Graph;

/// <summary>GET /{page-id}, GET /{page-id}/leadgen_forms, GET|POST|DELETE /{page-id}/subscribed_apps.</summary>
internal sealed class PageHandlers(EmulatorState state)
{
    public static Task GetAsync(GraphCall call, PageState page)
    {
        if (!PageJson.PageFields.TryParse(call.Param("fields"), out var mask, out var unknown))
        {
            return GraphResponse.SendErrorAsync(call, PageJson.PageFields.Error(unknown!));
        }

        var writer = GraphResponse.StartBody();
        PageJson.WritePage(writer, page, mask);
        return GraphResponse.SendAsync(call);
    }

    public Task FormsAsync(GraphCall call, PageState page)
    {
        if (!FormJson.Fields.TryParse(call.Param("fields"), out var mask, out var unknown))
        {
            return GraphResponse.SendErrorAsync(call, FormJson.Fields.Error(unknown!));
        }

        if (KeysetPaging.TryRead(call.Params!, out var paging) is { } pagingError)
        {
            return GraphResponse.SendErrorAsync(call, pagingError);
        }

        var forms = page.Forms;
        var slice = KeysetPaging.Slice<FormState>(forms, TimeRange.All, paging);
        var floor = state.RetentionFloor;
        var writer = GraphResponse.StartBody();
        writer.WriteStartObject();
        writer.WriteStartArray("data");
        for (var i = slice.End - 1; i >= slice.Start; i--)
        {
            FormJson.Write(writer, forms[i], mask, floor);
        }

        writer.WriteEndArray();
        if (slice.Count > 0)
        {
            KeysetPaging.WritePaging(writer, call.Http.Request, forms[slice.End - 1].Key, forms[slice.Start].Key, slice);
        }

        writer.WriteEndObject();
        return GraphResponse.SendAsync(call);
    }

    public Task SubscribedAppsAsync(GraphCall call, PageState page)
    {
        if (HttpMethods.IsDelete(call.Method))
        {
            page.Unsubscribe();
            return GraphResponse.SendSuccessAsync(call);
        }

        if (HttpMethods.IsPost(call.Method))
        {
            var fields = ParseFieldList(call.Param("subscribed_fields"));
            if (fields is not { Count: > 0 })
            {
                return GraphResponse.SendErrorAsync(call, GraphErrors.InvalidParameter("The parameter subscribed_fields is required."));
            }

            page.Subscribe(fields);
            return GraphResponse.SendSuccessAsync(call);
        }

        var app = state.App;
        var writer = GraphResponse.StartBody();
        writer.WriteStartObject();
        writer.WriteStartArray("data");
        if (page.Subscribed)
        {
            writer.WriteStartObject();
            writer.WriteString("category", "Business");
            writer.WriteString("link", "https://www.facebook.com/games/?app_id=" + app.AppId);
            writer.WriteString("name", app.AppName);
            writer.WriteString("id", app.AppId);
            writer.WriteStartArray("subscribed_fields");
            foreach (var field in page.SubscribedFields)
            {
                writer.WriteStringValue(field);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
        return GraphResponse.SendAsync(call);
    }

    /// <summary>Accepts "leadgen,feed" or the JSON form ["leadgen","feed"].</summary>
    internal static List<string>? ParseFieldList(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        if (text.TrimStart().StartsWith('['))
        {
            try
            {
                using var document = JsonDocument.Parse(text);
                return [.. document.RootElement.EnumerateArray()
                    .Where(item => item.ValueKind == JsonValueKind.String)
                    .Select(item => item.GetString()!)
                    .Where(item => item.Length > 0)
                    .Distinct(StringComparer.Ordinal)];
            }
            catch (JsonException)
            {
                return null;
            }
        }

        return [.. text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Distinct(StringComparer.Ordinal)];
    }
}
