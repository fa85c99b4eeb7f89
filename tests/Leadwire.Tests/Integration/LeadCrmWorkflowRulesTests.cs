using Leadwire.Data;
using Leadwire.Features.Leads;

namespace Leadwire.Tests.Integration;

/// <summary>C3: the status workflow's rules on their own (no host): every move for every role, and the times a move stamps.</summary>
public sealed class LeadCrmWorkflowRulesTests
{
    [Theory]
    [InlineData(LeadStatus.New, WorkspaceRole.Agent, "contacted,qualified,converted,disqualified,archived")]
    [InlineData(LeadStatus.Contacted, WorkspaceRole.Agent, "qualified,converted,disqualified,archived")]
    [InlineData(LeadStatus.Qualified, WorkspaceRole.Agent, "converted,disqualified,archived")]
    [InlineData(LeadStatus.Archived, WorkspaceRole.Agent, "new")]
    [InlineData(LeadStatus.Converted, WorkspaceRole.Agent, "")]
    [InlineData(LeadStatus.Disqualified, WorkspaceRole.Agent, "")]
    [InlineData(LeadStatus.Converted, WorkspaceRole.Admin, "new")]
    [InlineData(LeadStatus.Disqualified, WorkspaceRole.Owner, "new")]
    [InlineData(LeadStatus.Qualified, WorkspaceRole.Owner, "converted,disqualified,archived")]
    public void AllowedFrom_EachStatusAndRole_ListsExactlyTheseMoves(LeadStatus from, WorkspaceRole role, string expected)
    {
        var allowed = LeadWorkflow.AllowedFrom(from, role);
        Assert.Equal(expected, string.Join(",", allowed.Select(LeadWorkflow.Name)));
        foreach (var to in Enum.GetValues<LeadStatus>())
        {
            Assert.Equal(allowed.Contains(to), LeadWorkflow.CanMove(from, to, role));
            Assert.Equal(allowed.Contains(to), LeadWorkflow.Refusal(from, to, role) is null);
        }
    }

    [Fact]
    public void Move_StampsContactedAtOnceAndOnlyOnContact_ConvertedAtOnEachConversion()
    {
        var t0 = new DateTime(2026, 1, 1, 9, 0, 0, DateTimeKind.Utc);
        var lead = new Lead { MetaLeadId = "1", MetaPageId = "p", AnswersJson = "{}", RawJson = "{}" };

        LeadWorkflow.Move(lead, LeadStatus.Archived, "Not now", t0);
        Assert.Null(lead.ContactedAt);
        Assert.Equal("Not now", lead.StatusReason);

        LeadWorkflow.Move(lead, LeadStatus.New, null, t0.AddHours(1));
        LeadWorkflow.Move(lead, LeadStatus.Converted, null, t0.AddHours(2));
        Assert.Equal(t0.AddHours(2), lead.ContactedAt);
        Assert.Equal(t0.AddHours(2), lead.ConvertedAt);
        Assert.Null(lead.StatusReason);

        LeadWorkflow.Move(lead, LeadStatus.New, "Reopened", t0.AddHours(3));
        LeadWorkflow.Move(lead, LeadStatus.Contacted, null, t0.AddHours(4));
        LeadWorkflow.Move(lead, LeadStatus.Converted, null, t0.AddHours(5));
        Assert.Equal(t0.AddHours(2), lead.ContactedAt);
        Assert.Equal(t0.AddHours(5), lead.ConvertedAt);
        Assert.Equal(t0.AddHours(5), lead.StatusChangedAt);
        Assert.Equal(LeadStatus.Converted, lead.Status);
    }

    [Fact]
    public void NeedsReason_OnlyDisqualifiedAndArchived()
    {
        Assert.Equal(
            [LeadStatus.Disqualified, LeadStatus.Archived],
            Enum.GetValues<LeadStatus>().Where(LeadWorkflow.NeedsReason));
    }
}
