using System.Collections.Frozen;
using System.Text;

namespace Leadwire.MetaEmulator.State;

/// <summary>Meta's standard question types and the field_data names they produce.</summary>
internal static class QuestionCatalog
{
    private static readonly FrozenDictionary<string, (string Key, string Label)> Standard =
        new Dictionary<string, (string Key, string Label)>(StringComparer.Ordinal)
        {
            ["FULL_NAME"] = ("full_name", "Full name"),
            ["FIRST_NAME"] = ("first_name", "First name"),
            ["LAST_NAME"] = ("last_name", "Last name"),
            ["EMAIL"] = ("email", "Email"),
            ["WORK_EMAIL"] = ("work_email", "Work email"),
            ["PHONE"] = ("phone_number", "Phone number"),
            ["WORK_PHONE_NUMBER"] = ("work_phone_number", "Work phone number"),
            ["COMPANY_NAME"] = ("company_name", "Company name"),
            ["JOB_TITLE"] = ("job_title", "Job title"),
            ["STREET_ADDRESS"] = ("street_address", "Street address"),
            ["CITY"] = ("city", "City"),
            ["STATE"] = ("state", "State"),
            ["PROVINCE"] = ("province", "Province"),
            ["ZIP"] = ("zip_code", "ZIP code"),
            ["POST_CODE"] = ("post_code", "Post code"),
            ["COUNTRY"] = ("country", "Country"),
            ["DOB"] = ("date_of_birth", "Date of birth"),
            ["GENDER"] = ("gender", "Gender"),
            ["MARITIAL_STATUS"] = ("marital_status", "Marital status"),
            ["RELATIONSHIP_STATUS"] = ("relationship_status", "Relationship status"),
            ["MILITARY_STATUS"] = ("military_status", "Military status"),
            ["DATE_TIME"] = ("date_time", "Preferred date and time"),
            ["STORE_LOOKUP"] = ("store_lookup", "Preferred store"),
        }.ToFrozenDictionary(StringComparer.Ordinal);

    public static bool TryGetStandard(string type, out string key, out string label)
    {
        if (Standard.TryGetValue(type, out var entry))
        {
            (key, label) = entry;
            return true;
        }

        key = label = string.Empty;
        return false;
    }

    public static bool IsEmail(string type) => type is "EMAIL" or "WORK_EMAIL";

    /// <summary>"What is your budget?" becomes "what_is_your_budget".</summary>
    public static string KeyFromText(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (char.IsAsciiLetterOrDigit(c))
            {
                builder.Append(char.ToLowerInvariant(c));
            }
            else if (builder.Length > 0 && builder[^1] != '_')
            {
                builder.Append('_');
            }
        }

        while (builder.Length > 0 && builder[^1] == '_')
        {
            builder.Length--;
        }

        return builder.ToString();
    }
}
