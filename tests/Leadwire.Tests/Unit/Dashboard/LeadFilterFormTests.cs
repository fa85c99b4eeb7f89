using Leadwire.Dashboard;
using Microsoft.Extensions.Primitives;

namespace Leadwire.Tests.Unit.Dashboard;

public sealed class LeadFilterFormTests
{
    private static readonly TimeZoneInfo Istanbul = TimeZoneInfo.FindSystemTimeZoneById("Europe/Istanbul");
    private static readonly TimeZoneInfo NewYork = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");

    [Fact]
    public void FilterParameters_LocalDays_BecomeTheInstantsTheyStartAndEndAt()
    {
        var form = new LeadFilterForm { From = new DateTime(2026, 3, 1), To = new DateTime(2026, 3, 31), Status = "new", Q = "  ayşe " };

        var parameters = form.FilterParameters(Istanbul);

        // Istanbul is UTC+3 all year: March 1st starts at 21:00 UTC the day before; "to" includes all of March 31st.
        Assert.Equal("2026-02-28T21:00:00Z", parameters["created_since"]);
        Assert.Equal("2026-03-31T21:00:00Z", parameters["created_until"]);
        Assert.Equal("new", parameters["status"]);
        Assert.Equal("ayşe", parameters["q"]);
        Assert.False(parameters.ContainsKey("page_id"));
    }

    [Fact]
    public void FromQuery_TheAddressItWrote_GivesTheSameDaysBackAcrossADaylightSavingChange()
    {
        // New York moves its clocks on 2026-03-08: the range spans the change.
        var form = new LeadFilterForm { From = new DateTime(2026, 3, 1), To = new DateTime(2026, 3, 15), Sort = "score_desc", Deleted = true };
        var url = form.ToUrl("/", NewYork);
        var query = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(new Uri("http://x" + url).Query);

        var back = LeadFilterForm.FromQuery(query, NewYork);

        Assert.Equal(new DateTime(2026, 3, 1), back.From);
        Assert.Equal(new DateTime(2026, 3, 15), back.To);
        Assert.Equal("score_desc", back.Sort);
        Assert.True(back.Deleted);
        Assert.Contains("created_since=2026-03-01T05%3A00%3A00Z", url, StringComparison.Ordinal);
        Assert.Contains("created_until=2026-03-16T04%3A00%3A00Z", url, StringComparison.Ordinal);
    }

    [Fact]
    public void ToUrl_DefaultSort_IsLeftOut()
    {
        Assert.Equal("/?tag=vip", new LeadFilterForm { Tag = "vip", Sort = "created_desc" }.ToUrl("/", TimeZoneInfo.Utc));
        Assert.Equal("/", new LeadFilterForm().ToUrl("/", TimeZoneInfo.Utc));
    }

    [Fact]
    public void FromQuery_Garbage_IsIgnoredNotThrown()
    {
        var back = LeadFilterForm.FromQuery(new Dictionary<string, StringValues> { ["score_min"] = "lots", ["created_since"] = "yesterday" }, TimeZoneInfo.Utc);
        Assert.Null(back.ScoreMin);
        Assert.Null(back.From);
    }

    [Theory]
    [InlineData("/leads/5", "/leads/5")]
    [InlineData("/", "/")]
    [InlineData("//evil.example/x", "/")]
    [InlineData("/\\evil.example", "/")]
    [InlineData("https://evil.example/", "/")]
    [InlineData("", "/")]
    [InlineData(null, "/")]
    public void LocalPath_OnlyPathsOnThisServer(string? returnUrl, string expected) =>
        Assert.Equal(expected, DashboardForms.LocalPath(returnUrl));
}
