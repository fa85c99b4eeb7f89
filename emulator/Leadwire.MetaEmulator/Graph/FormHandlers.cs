using System.Text.Json;
using Leadwire.MetaEmulator.Json;
using Leadwire.MetaEmulator.State;

namespace Leadwire.MetaEmulator.Graph;

/// <summary>GET/POST /{form-id}, GET /{form-id}/leads, GET/POST /{form-id}/test_leads.</summary>
internal sealed class FormHandlers(EmulatorState state, LeadOperations leads)
{
    public Task GetAsync(GraphCall call, FormState form)
    {
        if (!FormJson.Fields.TryParse(call.Param("fields"), out var mask, out var unknown))
        {
            return GraphResponse.SendErrorAsync(call, FormJson.Fields.Error(unknown!));
        }

        var writer = GraphResponse.StartBody();
        FormJson.Write(writer, form, mask, state.RetentionFloor);
        return GraphResponse.SendAsync(call);
    }

    /// <summary>POST /{form-id} with status and/or name.</summary>
    public static Task UpdateAsync(GraphCall call, FormState form)
    {
        var status = call.Param("status")?.ToUpperInvariant();
        if (status is not null && !FormOperations.Statuses.Contains(status, StringComparer.Ordinal))
        {
            return GraphResponse.SendErrorAsync(call, GraphErrors.InvalidParameter("Param status must be one of {ACTIVE, ARCHIVED, DELETED, DRAFT}"));
        }

        if (status is not null)
        {
            form.Status = status;
        }

        if (call.Param("name") is { Length: > 0 } name)
        {
            form.Name = name;
        }

        return GraphResponse.SendSuccessAsync(call);
    }

    public Task LeadsAsync(GraphCall call, FormState form)
    {
        if (!LeadJson.Fields.TryParse(call.Param("fields"), out var mask, out var unknown))
        {
            return GraphResponse.SendErrorAsync(call, LeadJson.Fields.Error(unknown!));
        }

        if (KeysetPaging.TryRead(call.Params!, out var paging) is { } pagingError)
        {
            return GraphResponse.SendErrorAsync(call, pagingError);
        }

        if (LeadFiltering.TryParse(call.Param("filtering"), out var range) is { } filterError)
        {
            return GraphResponse.SendErrorAsync(call, filterError);
        }

        range = range with { Min = Math.Max(range.Min, state.RetentionFloor) };
        var snapshot = form.Leads.Snapshot;
        var items = snapshot.Span;
        var slice = KeysetPaging.Slice(items, range, paging);
        var adsAccess = form.Page.AdsAccess;
        var writer = GraphResponse.StartBody();
        writer.WriteStartObject();
        writer.WriteStartArray("data");
        for (var i = slice.End - 1; i >= slice.Start; i--)
        {
            LeadJson.Write(writer, items[i], mask, adsAccess);
        }

        writer.WriteEndArray();
        if (slice.Count > 0)
        {
            KeysetPaging.WritePaging(writer, call.Http.Request, items[slice.End - 1].Key, items[slice.Start].Key, slice);
        }

        writer.WriteEndObject();
        return GraphResponse.SendAsync(call);
    }

    public Task TestLeadsAsync(GraphCall call, FormState form)
    {
        if (!HttpMethods.IsPost(call.Method))
        {
            return ListTestLeadAsync(call, form);
        }

        IReadOnlyList<FieldDataItem>? fieldData;
        IReadOnlyList<DisclaimerResponse>? disclaimers;
        try
        {
            fieldData = call.Param("field_data") is { Length: > 0 } fieldText
                ? JsonSerializer.Deserialize(fieldText, EmulatorJsonContext.Default.IReadOnlyListFieldDataItem)
                : null;
            disclaimers = call.Param("custom_disclaimer_responses") is { Length: > 0 } disclaimerText
                ? JsonSerializer.Deserialize(disclaimerText, EmulatorJsonContext.Default.IReadOnlyListDisclaimerResponse)
                : null;
        }
        catch (JsonException)
        {
            return GraphResponse.SendErrorAsync(call, GraphErrors.InvalidParameter("Params field_data and custom_disclaimer_responses must be JSON arrays"));
        }

        if (LeadOperations.ValidateAnswers(fieldData, disclaimers) is { } invalid)
        {
            return GraphResponse.SendErrorAsync(call, GraphErrors.InvalidParameter(invalid.Detail));
        }

        var lead = leads.TryCreateTestLead(form, fieldData, disclaimers);
        if (lead is null)
        {
            return GraphResponse.SendErrorAsync(call, GraphErrors.TestLeadExists(form.TestLeadId ?? "unknown"));
        }

        var writer = GraphResponse.StartBody();
        writer.WriteStartObject();
        writer.WriteString("id", lead.Id);
        writer.WriteEndObject();
        return GraphResponse.SendAsync(call);
    }

    private Task ListTestLeadAsync(GraphCall call, FormState form)
    {
        if (!LeadJson.Fields.TryParse(call.Param("fields"), out var mask, out var unknown))
        {
            return GraphResponse.SendErrorAsync(call, LeadJson.Fields.Error(unknown!));
        }

        var writer = GraphResponse.StartBody();
        writer.WriteStartObject();
        writer.WriteStartArray("data");
        if (form.TestLeadId is { } id && state.Leads.TryGetValue(id, out var lead))
        {
            LeadJson.Write(writer, lead, mask, form.Page.AdsAccess);
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
        return GraphResponse.SendAsync(call);
    }
}
