using System.Text.Json;

namespace Leadwire.MetaEmulator.Graph;

/// <summary>Graph parameters from the query string and, for POST/DELETE, a form or flat JSON body (body wins).</summary>
internal sealed class GraphParams(IQueryCollection query, IFormCollection? form, Dictionary<string, string>? json)
{
    public string? Get(string name)
    {
        if (form is not null && form.TryGetValue(name, out var formValue) && formValue.Count > 0)
        {
            return formValue[0];
        }

        if (json is not null && json.TryGetValue(name, out var jsonValue))
        {
            return jsonValue;
        }

        return query.TryGetValue(name, out var queryValue) && queryValue.Count > 0 ? queryValue[0] : null;
    }

    /// <summary>Null when the body is JSON but not a JSON object.</summary>
    public static async ValueTask<GraphParams?> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.HasFormContentType)
        {
            return new GraphParams(request.Query, await request.ReadFormAsync(cancellationToken), null);
        }

        if (request.ContentType?.StartsWith("application/json", StringComparison.OrdinalIgnoreCase) == true
            && request.ContentLength != 0)
        {
            try
            {
                using var document = await JsonDocument.ParseAsync(request.Body, cancellationToken: cancellationToken);
                if (document.RootElement.ValueKind != JsonValueKind.Object)
                {
                    return null;
                }

                var values = new Dictionary<string, string>(StringComparer.Ordinal);
                foreach (var property in document.RootElement.EnumerateObject())
                {
                    values[property.Name] = property.Value.ValueKind == JsonValueKind.String
                        ? property.Value.GetString()!
                        : property.Value.GetRawText();
                }

                return new GraphParams(request.Query, null, values);
            }
            catch (JsonException)
            {
                return null;
            }
        }

        return new GraphParams(request.Query, null, null);
    }
}
