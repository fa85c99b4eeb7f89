using System.Collections.Frozen;
using System.Text.Json;
using Leadwire.MetaEmulator.State;

namespace Leadwire.MetaEmulator.Graph;

/// <summary>The Lead node projected to the requested fields; fields without a value are left out, never null.</summary>
internal static class LeadJson
{
    private const int CreatedTime = 1 << 1;
    private const int FieldData = 1 << 2;
    private const int FormId = 1 << 3;
    private const int AdId = 1 << 4;
    private const int AdName = 1 << 5;
    private const int AdsetId = 1 << 6;
    private const int AdsetName = 1 << 7;
    private const int CampaignId = 1 << 8;
    private const int CampaignName = 1 << 9;
    private const int IsOrganic = 1 << 10;
    private const int Platform = 1 << 11;
    private const int PartnerName = 1 << 12;
    private const int Disclaimers = 1 << 13;
    private const int RetailerItemId = 1 << 14;
    private const int CheckResult = 1 << 15;
    private const int NoValue = 1 << 30;

    private static readonly JsonEncodedText IdName = JsonEncodedText.Encode("id");
    private static readonly JsonEncodedText CreatedTimeName = JsonEncodedText.Encode("created_time");
    private static readonly JsonEncodedText FieldDataName = JsonEncodedText.Encode("field_data");
    private static readonly JsonEncodedText NameName = JsonEncodedText.Encode("name");
    private static readonly JsonEncodedText ValuesName = JsonEncodedText.Encode("values");
    private static readonly JsonEncodedText FormIdName = JsonEncodedText.Encode("form_id");
    private static readonly JsonEncodedText AdIdName = JsonEncodedText.Encode("ad_id");
    private static readonly JsonEncodedText AdNameName = JsonEncodedText.Encode("ad_name");
    private static readonly JsonEncodedText AdsetIdName = JsonEncodedText.Encode("adset_id");
    private static readonly JsonEncodedText AdsetNameName = JsonEncodedText.Encode("adset_name");
    private static readonly JsonEncodedText CampaignIdName = JsonEncodedText.Encode("campaign_id");
    private static readonly JsonEncodedText CampaignNameName = JsonEncodedText.Encode("campaign_name");
    private static readonly JsonEncodedText IsOrganicName = JsonEncodedText.Encode("is_organic");
    private static readonly JsonEncodedText PlatformName = JsonEncodedText.Encode("platform");
    private static readonly JsonEncodedText PartnerNameName = JsonEncodedText.Encode("partner_name");
    private static readonly JsonEncodedText DisclaimersName = JsonEncodedText.Encode("custom_disclaimer_responses");
    private static readonly JsonEncodedText CheckboxKeyName = JsonEncodedText.Encode("checkbox_key");
    private static readonly JsonEncodedText IsCheckedName = JsonEncodedText.Encode("is_checked");
    private static readonly JsonEncodedText RetailerItemIdName = JsonEncodedText.Encode("retailer_item_id");
    private static readonly JsonEncodedText CheckResultName = JsonEncodedText.Encode("post_submission_check_result");
    private static readonly JsonEncodedText ApiCallResultName = JsonEncodedText.Encode("api_call_result");
    private static readonly JsonEncodedText ApiErrorMessageName = JsonEncodedText.Encode("api_error_message");
    private static readonly JsonEncodedText ShownThankYouPageName = JsonEncodedText.Encode("shown_thank_you_page");

    /// <summary>Default when `fields` is absent ([unconfirmed] at Meta): id, created_time, ad_id, form_id, field_data.</summary>
    public static FieldSelector Fields { get; } = new(
        "Lead",
        new Dictionary<string, int>(StringComparer.Ordinal)
        {
            ["id"] = FieldSelector.Id,
            ["created_time"] = CreatedTime,
            ["field_data"] = FieldData,
            ["form_id"] = FormId,
            ["ad_id"] = AdId,
            ["ad_name"] = AdName,
            ["adset_id"] = AdsetId,
            ["adset_name"] = AdsetName,
            ["campaign_id"] = CampaignId,
            ["campaign_name"] = CampaignName,
            ["is_organic"] = IsOrganic,
            ["platform"] = Platform,
            ["partner_name"] = PartnerName,
            ["custom_disclaimer_responses"] = Disclaimers,
            ["retailer_item_id"] = RetailerItemId,
            ["post_submission_check_result"] = CheckResult,
            ["home_listing"] = NoValue,
            ["vehicle"] = NoValue,
            ["post"] = NoValue,
        }.ToFrozenDictionary(StringComparer.Ordinal),
        FieldSelector.Id | CreatedTime | AdId | FormId | FieldData);

    public static void Write(Utf8JsonWriter writer, LeadRecord lead, int mask, bool adsAccess)
    {
        writer.WriteStartObject();
        writer.WriteString(IdName, lead.Id);
        if ((mask & CreatedTime) != 0)
        {
            writer.WriteString(CreatedTimeName, lead.CreatedTime);
        }

        if ((mask & FormId) != 0)
        {
            writer.WriteString(FormIdName, lead.FormId);
        }

        if (adsAccess && lead.Ad is { } ad)
        {
            WriteOptional(writer, mask, AdId, AdIdName, ad.AdId);
            WriteOptional(writer, mask, AdName, AdNameName, ad.AdName);
            WriteOptional(writer, mask, AdsetId, AdsetIdName, ad.AdsetId);
            WriteOptional(writer, mask, AdsetName, AdsetNameName, ad.AdsetName);
            WriteOptional(writer, mask, CampaignId, CampaignIdName, ad.CampaignId);
            WriteOptional(writer, mask, CampaignName, CampaignNameName, ad.CampaignName);
        }

        if ((mask & IsOrganic) != 0)
        {
            writer.WriteBoolean(IsOrganicName, lead.IsOrganic);
        }

        WriteOptional(writer, mask, Platform, PlatformName, lead.Platform);
        WriteOptional(writer, mask, PartnerName, PartnerNameName, lead.PartnerName);
        WriteOptional(writer, mask, RetailerItemId, RetailerItemIdName, lead.RetailerItemId);
        if ((mask & FieldData) != 0)
        {
            writer.WriteStartArray(FieldDataName);
            foreach (var field in lead.FieldData)
            {
                writer.WriteStartObject();
                writer.WriteString(NameName, field.Name);
                writer.WriteStartArray(ValuesName);
                foreach (var value in field.Values)
                {
                    writer.WriteStringValue(value);
                }

                writer.WriteEndArray();
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }

        if ((mask & Disclaimers) != 0 && lead.CustomDisclaimerResponses is { Count: > 0 } responses)
        {
            writer.WriteStartArray(DisclaimersName);
            foreach (var response in responses)
            {
                writer.WriteStartObject();
                writer.WriteString(CheckboxKeyName, response.CheckboxKey);
                writer.WriteString(IsCheckedName, response.IsChecked);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }

        if ((mask & CheckResult) != 0 && lead.PostSubmissionCheckResult is { } check)
        {
            writer.WriteStartObject(CheckResultName);
            WriteOptional(writer, CheckResult, CheckResult, ApiCallResultName, check.ApiCallResult);
            WriteOptional(writer, CheckResult, CheckResult, ApiErrorMessageName, check.ApiErrorMessage);
            WriteOptional(writer, CheckResult, CheckResult, ShownThankYouPageName, check.ShownThankYouPage);
            writer.WriteEndObject();
        }

        writer.WriteEndObject();
    }

    private static void WriteOptional(Utf8JsonWriter writer, int mask, int bit, JsonEncodedText name, string? value)
    {
        if ((mask & bit) != 0 && value is not null)
        {
            writer.WriteString(name, value);
        }
    }
}
