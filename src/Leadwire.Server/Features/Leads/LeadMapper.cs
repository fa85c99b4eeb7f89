using System.Text.Json;
using Leadwire.Data;
using Leadwire.Meta;

namespace Leadwire.Features.Leads;

/// <summary>
/// Maps a Graph Lead to a stored lead: standard answers to columns (matched case-insensitively, then through the
/// form's question types), every answer kept by key, the raw node kept whole.
/// </summary>
public static class LeadMapper
{
    private enum Column
    {
        FullName, FirstName, LastName, Email, WorkEmail, Phone, WorkPhone, StreetAddress, City, State, Zip, Country, CompanyName, JobTitle,
    }

    /// <summary>field_data names Meta uses (and older upper-case variants, matched case-insensitively).</summary>
    private static readonly Dictionary<string, Column> ByName = new(StringComparer.OrdinalIgnoreCase)
    {
        ["full_name"] = Column.FullName,
        ["first_name"] = Column.FirstName,
        ["last_name"] = Column.LastName,
        ["email"] = Column.Email,
        ["work_email"] = Column.WorkEmail,
        ["phone_number"] = Column.Phone,
        ["phone"] = Column.Phone,
        ["work_phone_number"] = Column.WorkPhone,
        ["street_address"] = Column.StreetAddress,
        ["city"] = Column.City,
        ["state"] = Column.State,
        ["province"] = Column.State,
        ["zip_code"] = Column.Zip,
        ["zip"] = Column.Zip,
        ["post_code"] = Column.Zip,
        ["postal_code"] = Column.Zip,
        ["country"] = Column.Country,
        ["company_name"] = Column.CompanyName,
        ["job_title"] = Column.JobTitle,
    };

    /// <summary>Question types of the form, for custom keys that still ask a standard question.</summary>
    private static readonly Dictionary<string, Column> ByQuestionType = new(StringComparer.OrdinalIgnoreCase)
    {
        ["FULL_NAME"] = Column.FullName,
        ["FIRST_NAME"] = Column.FirstName,
        ["LAST_NAME"] = Column.LastName,
        ["EMAIL"] = Column.Email,
        ["WORK_EMAIL"] = Column.WorkEmail,
        ["PHONE"] = Column.Phone,
        ["WORK_PHONE_NUMBER"] = Column.WorkPhone,
        ["STREET_ADDRESS"] = Column.StreetAddress,
        ["CITY"] = Column.City,
        ["STATE"] = Column.State,
        ["PROVINCE"] = Column.State,
        ["ZIP"] = Column.Zip,
        ["POST_CODE"] = Column.Zip,
        ["COUNTRY"] = Column.Country,
        ["COMPANY_NAME"] = Column.CompanyName,
        ["JOB_TITLE"] = Column.JobTitle,
    };

    private static readonly HashSet<string> TestToolEmails = new(StringComparer.OrdinalIgnoreCase) { "test@fb.com", "test@meta.com" };

    public static Lead Map(GraphLead graph, MapContext context)
    {
        var questionTypes = QuestionTypes(context.QuestionsJson);
        var columns = new Dictionary<Column, string>();
        var answers = new Dictionary<string, string>(StringComparer.Ordinal);
        var looksLikeTestTool = false;

        foreach (var field in graph.FieldData)
        {
            var value = string.Join(", ", field.Values);
            answers[field.Name] = value;
            looksLikeTestTool |= field.Values.Any(v => v.StartsWith("<test lead:", StringComparison.OrdinalIgnoreCase));

            if (ByName.TryGetValue(field.Name, out var column)
                || (questionTypes.TryGetValue(field.Name, out var type) && ByQuestionType.TryGetValue(type, out column)))
            {
                columns.TryAdd(column, value);
            }
        }

        var email = Get(columns, Column.Email) ?? Get(columns, Column.WorkEmail);
        var firstName = Get(columns, Column.FirstName);
        var lastName = Get(columns, Column.LastName);
        var fullName = Get(columns, Column.FullName)
            ?? (firstName is null && lastName is null ? null : string.Join(' ', new[] { firstName, lastName }.Where(n => n is not null)));

        return new Lead
        {
            MetaLeadId = graph.Id,
            WorkspaceId = context.WorkspaceId,
            PageId = context.PageId,
            MetaPageId = context.MetaPageId,
            FormId = context.FormId,
            MetaFormId = graph.FormId ?? context.MetaFormId,
            AdId = graph.AdId,
            AdName = graph.AdName,
            AdsetId = graph.AdsetId,
            AdsetName = graph.AdsetName,
            CampaignId = graph.CampaignId,
            CampaignName = graph.CampaignName,
            Platform = graph.Platform,
            PartnerName = graph.PartnerName,
            IsOrganic = graph.IsOrganic,
            // Meta has no test flag: the Testing Tool fills answers with "<test lead: dummy data for …>".
            IsTest = looksLikeTestTool || (email is not null && TestToolEmails.Contains(email) && graph.AdId is null),
            CreatedTime = graph.CreatedTime ?? context.FallbackCreatedTime,
            FullName = fullName,
            FirstName = firstName,
            LastName = lastName,
            Email = email,
            Phone = Get(columns, Column.Phone) ?? Get(columns, Column.WorkPhone),
            StreetAddress = Get(columns, Column.StreetAddress),
            City = Get(columns, Column.City),
            State = Get(columns, Column.State),
            Zip = Get(columns, Column.Zip),
            Country = Get(columns, Column.Country),
            CompanyName = Get(columns, Column.CompanyName),
            JobTitle = Get(columns, Column.JobTitle),
            AnswersJson = JsonSerializer.Serialize(answers),
            DisclaimerResponsesJson = graph.CustomDisclaimerResponsesJson,
            RawJson = graph.RawJson,
            Source = context.Source,
            StoredAt = context.Now,
        };
    }

    private static string? Get(Dictionary<Column, string> columns, Column column) =>
        columns.TryGetValue(column, out var value) && value.Length > 0 ? value : null;

    private static Dictionary<string, string> QuestionTypes(string? questionsJson)
    {
        var types = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (string.IsNullOrEmpty(questionsJson))
        {
            return types;
        }
        try
        {
            foreach (var question in JsonSerializer.Deserialize<List<GraphQuestion>>(questionsJson) ?? [])
            {
                if (question.Key is { Length: > 0 } key && question.Type is { Length: > 0 } type)
                {
                    types.TryAdd(key, type);
                }
            }
        }
        catch (JsonException)
        {
            // Questions are a mapping hint only; a lead is never refused for them.
        }
        return types;
    }
}

/// <summary>What the mapper needs besides Meta's node.</summary>
public sealed record MapContext(
    long WorkspaceId,
    long PageId, string MetaPageId, long? FormId, string? MetaFormId, string? QuestionsJson, LeadSource Source, DateTime Now, DateTime FallbackCreatedTime);
