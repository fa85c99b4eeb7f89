using Leadwire.Data;
using Leadwire.Features.Assignment;

namespace Leadwire.Tests.Unit.Assignment;

public sealed class AutoAssignerTests
{
    private static readonly AutoAssigner.Subject Lead = new(LeadId: 1, WorkspaceId: 1, PageId: 10, FormId: 20, CampaignId: "c-1");

    [Fact]
    public void Matches_EverySetConditionEqual_True()
    {
        Assert.True(AutoAssigner.Matches(Rule(page: 10, form: 20, campaign: "c-1"), Lead));
        Assert.True(AutoAssigner.Matches(Rule(page: 10), Lead));
        Assert.True(AutoAssigner.Matches(Rule(campaign: "c-1"), Lead));
        // No condition at all: a catch-all rule.
        Assert.True(AutoAssigner.Matches(Rule(), Lead));
    }

    [Fact]
    public void Matches_AnySetConditionDifferent_False()
    {
        Assert.False(AutoAssigner.Matches(Rule(page: 10, form: 21), Lead));
        Assert.False(AutoAssigner.Matches(Rule(page: 11), Lead));
        Assert.False(AutoAssigner.Matches(Rule(campaign: "C-1"), Lead));
        Assert.False(AutoAssigner.Matches(Rule(form: 20), Lead with { FormId = null }));
    }

    [Theory]
    [InlineData(null, 3)]
    [InlineData(3L, 5)]
    [InlineData(5L, 9)]
    [InlineData(9L, 3)]
    [InlineData(4L, 5)]
    [InlineData(100L, 3)]
    public void NextAgent_AfterTheLast_WrapsAround(long? last, long expected) =>
        Assert.Equal(expected, AutoAssigner.NextAgent([3, 5, 9], last));

    private static AssignmentRule Rule(long? page = null, long? form = null, string? campaign = null) =>
        new() { PageId = page, FormId = form, CampaignId = campaign, AssigneeUserId = 7 };
}
