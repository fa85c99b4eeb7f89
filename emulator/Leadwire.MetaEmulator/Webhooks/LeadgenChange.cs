using Leadwire.MetaEmulator.State;

namespace Leadwire.MetaEmulator.Webhooks;

/// <summary>One "leadgen" change value as Meta sends it; ad ids are absent for organic and test leads.</summary>
internal sealed record LeadgenChange(string LeadId, string PageId, string FormId, string? AdId, long CreatedUnix)
{
    public static LeadgenChange From(LeadRecord lead) =>
        new(lead.Id, lead.PageId, lead.FormId, lead.IsOrganic ? null : lead.Ad?.AdId, lead.CreatedUnix);
}
