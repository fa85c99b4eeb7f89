using System.Collections.Frozen;
using System.Text.Json;
using Leadwire.MetaEmulator.State;

namespace Leadwire.MetaEmulator.Graph;

/// <summary>The LeadgenForm node. Fields Meta has but the emulator does not model are accepted and left out.</summary>
internal static class FormJson
{
    private const int Name = 1 << 1;
    private const int Status = 1 << 2;
    private const int Locale = 1 << 3;
    private const int CreatedTime = 1 << 4;
    private const int LeadsCount = 1 << 5;
    private const int OrganicLeadsCount = 1 << 6;
    private const int ExpiredLeadsCount = 1 << 7;
    private const int Questions = 1 << 8;
    private const int PageId = 1 << 9;
    private const int Page = 1 << 10;
    private const int NoValue = 1 << 30;

    private static readonly JsonEncodedText IdName = JsonEncodedText.Encode("id");
    private static readonly JsonEncodedText NameName = JsonEncodedText.Encode("name");
    private static readonly JsonEncodedText StatusName = JsonEncodedText.Encode("status");
    private static readonly JsonEncodedText LocaleName = JsonEncodedText.Encode("locale");
    private static readonly JsonEncodedText CreatedTimeName = JsonEncodedText.Encode("created_time");
    private static readonly JsonEncodedText LeadsCountName = JsonEncodedText.Encode("leads_count");
    private static readonly JsonEncodedText OrganicLeadsCountName = JsonEncodedText.Encode("organic_leads_count");
    private static readonly JsonEncodedText ExpiredLeadsCountName = JsonEncodedText.Encode("expired_leads_count");
    private static readonly JsonEncodedText QuestionsName = JsonEncodedText.Encode("questions");
    private static readonly JsonEncodedText KeyName = JsonEncodedText.Encode("key");
    private static readonly JsonEncodedText LabelName = JsonEncodedText.Encode("label");
    private static readonly JsonEncodedText TypeName = JsonEncodedText.Encode("type");
    private static readonly JsonEncodedText OptionsName = JsonEncodedText.Encode("options");
    private static readonly JsonEncodedText ValueName = JsonEncodedText.Encode("value");
    private static readonly JsonEncodedText PageIdName = JsonEncodedText.Encode("page_id");
    private static readonly JsonEncodedText PageName = JsonEncodedText.Encode("page");

    private static readonly string[] Unmodelled =
    [
        "privacy_policy_url", "legal_content", "thank_you_page", "context_card", "follow_up_action_url",
        "follow_up_action_text", "allow_organic_lead", "block_display_for_non_targeted_viewer", "is_optimized_for_quality",
        "question_page_custom_headline", "tracking_parameters", "creator",
    ];

    /// <summary>Default without `fields`: id, locale, name, status (what Meta's leadgen_forms edge returns).</summary>
    public static FieldSelector Fields { get; } = new(
        "LeadgenForm",
        new Dictionary<string, int>(StringComparer.Ordinal)
        {
            ["id"] = FieldSelector.Id,
            ["name"] = Name,
            ["status"] = Status,
            ["locale"] = Locale,
            ["created_time"] = CreatedTime,
            ["leads_count"] = LeadsCount,
            ["organic_leads_count"] = OrganicLeadsCount,
            ["expired_leads_count"] = ExpiredLeadsCount,
            ["questions"] = Questions,
            ["page_id"] = PageId,
            ["page"] = Page,
        }.Concat(Unmodelled.Select(name => KeyValuePair.Create(name, NoValue))).ToFrozenDictionary(StringComparer.Ordinal),
        FieldSelector.Id | Name | Status | Locale);

    public static void Write(Utf8JsonWriter writer, FormState form, int mask, long retentionFloor)
    {
        writer.WriteStartObject();
        writer.WriteString(IdName, form.Id);
        if ((mask & Name) != 0)
        {
            writer.WriteString(NameName, form.Name);
        }

        if ((mask & Status) != 0)
        {
            writer.WriteString(StatusName, form.Status);
        }

        if ((mask & Locale) != 0)
        {
            writer.WriteString(LocaleName, form.Locale);
        }

        if ((mask & CreatedTime) != 0)
        {
            writer.WriteString(CreatedTimeName, form.CreatedTime);
        }

        if ((mask & (LeadsCount | OrganicLeadsCount | ExpiredLeadsCount)) != 0)
        {
            var leads = form.Leads.Snapshot;
            if ((mask & LeadsCount) != 0)
            {
                writer.WriteNumber(LeadsCountName, leads.Count);
            }

            if ((mask & OrganicLeadsCount) != 0)
            {
                writer.WriteNumber(OrganicLeadsCountName, leads.OrganicCount);
            }

            if ((mask & ExpiredLeadsCount) != 0)
            {
                var expired = retentionFloor == long.MinValue ? 0 : SortedSearch.FirstAtOrAfter(leads.Span, retentionFloor);
                writer.WriteNumber(ExpiredLeadsCountName, expired);
            }
        }

        if ((mask & Questions) != 0)
        {
            WriteQuestions(writer, form.Questions);
        }

        if ((mask & PageId) != 0)
        {
            writer.WriteString(PageIdName, form.Page.Id);
        }

        if ((mask & Page) != 0)
        {
            writer.WriteStartObject(PageName);
            writer.WriteString(NameName, form.Page.Name);
            writer.WriteString(IdName, form.Page.Id);
            writer.WriteEndObject();
        }

        writer.WriteEndObject();
    }

    private static void WriteQuestions(Utf8JsonWriter writer, IReadOnlyList<FormQuestion> questions)
    {
        writer.WriteStartArray(QuestionsName);
        foreach (var question in questions)
        {
            writer.WriteStartObject();
            writer.WriteString(KeyName, question.Key);
            writer.WriteString(LabelName, question.Label);
            writer.WriteString(TypeName, question.Type);
            if (question.Options is { Count: > 0 } options)
            {
                writer.WriteStartArray(OptionsName);
                foreach (var option in options)
                {
                    writer.WriteStartObject();
                    writer.WriteString(KeyName, option.Key);
                    writer.WriteString(ValueName, option.Value);
                    writer.WriteEndObject();
                }

                writer.WriteEndArray();
            }

            writer.WriteString(IdName, question.Id);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }
}
