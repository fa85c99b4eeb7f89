using Leadwire.MetaEmulator.State;
using Microsoft.AspNetCore.Mvc;

namespace Leadwire.MetaEmulator.Control;

internal static class LeadEndpoints
{
    private const int DefaultListLimit = 10_000;

    public static void MapLeadEndpoints(this RouteGroupBuilder group)
    {
        group.MapPost("/leads", (CreateLeadRequest request, LeadOperations leads) =>
            leads.Create(request).Map(lead => lead.ToView()).ToResult());
        group.MapPost("/leads/bulk", (BulkLeadsRequest request, LeadOperations leads) =>
            leads.CreateBulk(request).Map(ids => new BulkLeadsResult { Ids = ids }).ToResult());
        group.MapGet("/leads", ([FromQuery(Name = "form_id")] string? formId, int? limit, LeadOperations leads) =>
            leads.List(formId, limit ?? DefaultListLimit).ToResult());
    }
}
