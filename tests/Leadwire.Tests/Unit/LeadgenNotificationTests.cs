using System.Text;
using Leadwire.Features.Webhooks;

namespace Leadwire.Tests.Unit;

public sealed class LeadgenNotificationTests
{
    [Fact]
    public void Parse_SeveralEntriesAndChanges_ReadsEveryLeadgenChange()
    {
        var notification = Parse("""
            {"object":"page","entry":[
              {"id":"1","time":1767225600,"changes":[
                {"field":"leadgen","value":{"leadgen_id":"11","page_id":"1","form_id":"21","ad_id":"31","adgroup_id":"31","created_time":1767225590}},
                {"field":"leadgen","value":{"leadgen_id":12,"page_id":1,"form_id":21,"created_time":1767225591}}]},
              {"id":"2","time":1767225600,"changes":[
                {"field":"leadgen_update","value":{"leadgen_id":"13"}},
                {"field":"leadgen","value":{"leadgen_id":"14","form_id":"22"}}]}]}
            """);

        Assert.Empty(notification.Problems);
        Assert.Equal(1, notification.IgnoredChanges);
        Assert.Equal(["11", "12", "14"], notification.Changes.Select(c => c.LeadgenId));
        Assert.Equal("2", notification.Changes[2].PageId);
        Assert.Equal("31", notification.Changes[0].AdId);
        Assert.Null(notification.Changes[1].AdId);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1767225591).UtcDateTime, notification.Changes[1].CreatedTime);
    }

    [Theory]
    [InlineData("not json at all")]
    [InlineData("[1,2]")]
    [InlineData("""{"object":"instagram","entry":[]}""")]
    [InlineData("""{"object":"page"}""")]
    public void Parse_NotAPageNotification_Throws(string body)
    {
        Assert.Throws<FormatException>(() => Parse(body));
    }

    [Fact]
    public void Parse_ChangeWithoutLeadgenId_ReportedAsProblem()
    {
        var notification = Parse("""{"object":"page","entry":[{"id":"1","changes":[{"field":"leadgen","value":{"form_id":"2"}}]}]}""");
        Assert.Empty(notification.Changes);
        Assert.Equal(["entry[0].changes[0] lacks leadgen_id or page_id."], notification.Problems);
    }

    private static LeadgenNotification Parse(string body) => LeadgenNotification.Parse(Encoding.UTF8.GetBytes(body));
}
