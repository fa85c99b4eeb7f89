using Leadwire.MetaEmulator.State;

namespace Leadwire.MetaEmulator.Graph;

/// <summary>GET and DELETE /{lead-id}.</summary>
internal sealed class LeadHandlers(LeadOperations leads)
{
    public static Task GetAsync(GraphCall call, LeadRecord lead)
    {
        if (!LeadJson.Fields.TryParse(call.Param("fields"), out var mask, out var unknown))
        {
            return GraphResponse.SendErrorAsync(call, LeadJson.Fields.Error(unknown!));
        }

        var writer = GraphResponse.StartBody();
        LeadJson.Write(writer, lead, mask, lead.Form.Page.AdsAccess);
        return GraphResponse.SendAsync(call);
    }

    public Task DeleteAsync(GraphCall call, LeadRecord lead) =>
        leads.Delete(lead)
            ? GraphResponse.SendSuccessAsync(call)
            : GraphResponse.SendErrorAsync(call, GraphErrors.Unsupported(call.Method, lead.Id));
}
