using System.Text.Json;
using Leadwire.Data;
using Leadwire.Features.Leads;
using Leadwire.Meta;

namespace Leadwire.Tests.Unit;

public sealed class LeadMapperTests
{
    private static readonly DateTime Now = new(2026, 11, 1, 12, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void Map_StandardAnswers_GoToColumnsCaseInsensitively()
    {
        var lead = Map("""
            {"id":"9001","created_time":"2026-01-01T00:00:00+0000","form_id":"2001","ad_id":"3001","ad_name":"Ad A","adset_id":"3101","adset_name":"Set A",
             "campaign_id":"3201","campaign_name":"Camp A","is_organic":false,"platform":"ig",
             "field_data":[{"name":"FULL_NAME","values":["Jane Doe"]},{"name":"Email","values":["jane@example.com"]},
               {"name":"phone_number","values":["+15555550100"]},{"name":"city","values":["İstanbul"]},{"name":"zip_code","values":["34000"]},
               {"name":"which_model?","values":["SUV","Sedan"]}],
             "custom_disclaimer_responses":[{"checkbox_key":"optin","is_checked":"1"}]}
            """);

        Assert.Equal("9001", lead.MetaLeadId);
        Assert.Equal("Jane Doe", lead.FullName);
        Assert.Equal("jane@example.com", lead.Email);
        Assert.Equal("+15555550100", lead.Phone);
        Assert.Equal("İstanbul", lead.City);
        Assert.Equal("34000", lead.Zip);
        Assert.Equal(("3001", "Ad A", "3101", "Set A", "3201", "Camp A"), (lead.AdId, lead.AdName, lead.AdsetId, lead.AdsetName, lead.CampaignId, lead.CampaignName));
        Assert.Equal("ig", lead.Platform);
        Assert.False(lead.IsOrganic);
        Assert.False(lead.IsTest);
        Assert.Equal(new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc), lead.CreatedTime);
        var answers = JsonSerializer.Deserialize<Dictionary<string, string>>(lead.AnswersJson)!;
        Assert.Equal("SUV, Sedan", answers["which_model?"]);
        Assert.Equal("Jane Doe", answers["FULL_NAME"]);
        Assert.Contains("optin", lead.DisclaimerResponsesJson, StringComparison.Ordinal);
        Assert.Contains("\"platform\":\"ig\"", lead.RawJson, StringComparison.Ordinal);
    }

    [Fact]
    public void Map_CustomKeyWithStandardQuestionType_UsesFormQuestions()
    {
        var lead = Map(
            """{"id":"9002","created_time":"2026-01-01T00:00:00+0000","field_data":[{"name":"your_mail","values":["a@b.co"]},{"name":"given","values":["Ada"]},{"name":"family","values":["Lovelace"]}]}""",
            """[{"key":"your_mail","label":"Mail","type":"EMAIL"},{"key":"given","type":"FIRST_NAME"},{"key":"family","type":"LAST_NAME"}]""");

        Assert.Equal("a@b.co", lead.Email);
        Assert.Equal("Ada", lead.FirstName);
        Assert.Equal("Lovelace", lead.LastName);
        Assert.Equal("Ada Lovelace", lead.FullName);
    }

    [Fact]
    public void Map_TestingToolDummyData_FlaggedAsTest()
    {
        var lead = Map("""
            {"id":"9003","created_time":"2026-01-01T00:00:00+0000","is_organic":true,
             "field_data":[{"name":"full_name","values":["<test lead: dummy data for full_name>"]},{"name":"email","values":["test@meta.com"]}]}
            """);
        Assert.True(lead.IsTest);
        Assert.True(lead.IsOrganic);
    }

    [Fact]
    public void Map_OrganicRealLead_NotFlaggedAsTest()
    {
        var lead = Map("""{"id":"9004","created_time":"2026-01-01T00:00:00+0000","is_organic":true,"field_data":[{"name":"email","values":["real@example.org"]}]}""");
        Assert.False(lead.IsTest);
        Assert.Null(lead.AdId);
    }

    private static Lead Map(string json, string? questions = null)
    {
        using var document = JsonDocument.Parse(json);
        return LeadMapper.Map(GraphLead.Parse(document.RootElement),
            new MapContext(1, 1, "1001", 5, "2001", questions, LeadSource.Webhook, Now, Now));
    }
}
