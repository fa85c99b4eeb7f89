using System.Globalization;

namespace Leadwire.MetaEmulator.State;

/// <summary>Realistic, deterministic answers for generated leads: the same seed and lead id give the same person.</summary>
internal static class FakeAnswers
{
    private static readonly (string Display, string Lower)[] FirstNames =
    [
        ("Jane", "jane"), ("John", "john"), ("Maria", "maria"), ("Ahmed", "ahmed"), ("Yuki", "yuki"),
        ("Olivia", "olivia"), ("Liam", "liam"), ("Sofia", "sofia"), ("Noah", "noah"), ("Amara", "amara"),
        ("Lucas", "lucas"), ("Chloe", "chloe"), ("Mateo", "mateo"), ("Priya", "priya"), ("Ethan", "ethan"),
        ("Fatima", "fatima"), ("Leo", "leo"), ("Hannah", "hannah"), ("Diego", "diego"), ("Grace", "grace"),
    ];

    private static readonly (string Display, string Lower)[] LastNames =
    [
        ("Doe", "doe"), ("Smith", "smith"), ("Garcia", "garcia"), ("Khan", "khan"), ("Tanaka", "tanaka"),
        ("Johnson", "johnson"), ("Brown", "brown"), ("Rossi", "rossi"), ("Miller", "miller"), ("Okafor", "okafor"),
        ("Martin", "martin"), ("Dubois", "dubois"), ("Lopez", "lopez"), ("Patel", "patel"), ("Wilson", "wilson"),
        ("Haddad", "haddad"), ("Novak", "novak"), ("Schmidt", "schmidt"), ("Silva", "silva"), ("Taylor", "taylor"),
    ];

    private static readonly (string City, string State, string Zip)[] Places =
    [
        ("Austin", "TX", "78701"), ("Denver", "CO", "80202"), ("Portland", "OR", "97205"), ("Chicago", "IL", "60601"),
        ("Boston", "MA", "02108"), ("Seattle", "WA", "98101"), ("Miami", "FL", "33130"), ("Phoenix", "AZ", "85004"),
        ("Atlanta", "GA", "30303"), ("Madison", "WI", "53703"),
    ];

    private static readonly string[] Companies =
    [
        "Acme Corp", "Globex", "Initech", "Umbrella Health", "Stark Logistics", "Wayne Foods", "Hooli", "Vandelay Imports",
    ];

    private static readonly string[] JobTitles =
    [
        "Marketing Manager", "Owner", "Sales Director", "Office Manager", "Engineer", "Consultant", "Accountant", "Teacher",
    ];

    private static readonly string[] Streets = ["Main St", "Oak Ave", "Maple Dr", "Cedar Ln", "Elm St", "Park Blvd"];

    public static FieldDataItem[] Generate(IReadOnlyList<FormQuestion> questions, ulong seed)
    {
        var random = new SplitMix64(seed);
        var first = FirstNames[random.Next(FirstNames.Length)];
        var last = LastNames[random.Next(LastNames.Length)];
        var place = Places[random.Next(Places.Length)];
        var company = Companies[random.Next(Companies.Length)];
        var number = random.Next(100);
        var answers = new FieldDataItem[questions.Count];
        for (var i = 0; i < questions.Count; i++)
        {
            var question = questions[i];
            answers[i] = new FieldDataItem { Name = question.Key, Values = [Answer(question, ref random, first, last, place, company, number)] };
        }

        return answers;
    }

    private static string Answer(
        FormQuestion question,
        ref SplitMix64 random,
        (string Display, string Lower) first,
        (string Display, string Lower) last,
        (string City, string State, string Zip) place,
        string company,
        int number) => question.Type switch
        {
            "FULL_NAME" => first.Display + " " + last.Display,
            "FIRST_NAME" => first.Display,
            "LAST_NAME" => last.Display,
            "EMAIL" => string.Create(CultureInfo.InvariantCulture, $"{first.Lower}.{last.Lower}{number}@example.com"),
            "WORK_EMAIL" => string.Create(CultureInfo.InvariantCulture, $"{first.Lower}.{last.Lower}@{QuestionCatalog.KeyFromText(company)}.example"),
            "PHONE" or "WORK_PHONE_NUMBER" => string.Create(CultureInfo.InvariantCulture, $"+1555555{random.Next(10_000):D4}"),
            "COMPANY_NAME" => company,
            "JOB_TITLE" => JobTitles[random.Next(JobTitles.Length)],
            "STREET_ADDRESS" => string.Create(CultureInfo.InvariantCulture, $"{100 + random.Next(9_800)} {Streets[random.Next(Streets.Length)]}"),
            "CITY" => place.City,
            "STATE" or "PROVINCE" => place.State,
            "ZIP" or "POST_CODE" => place.Zip,
            "COUNTRY" => "US",
            "DOB" => string.Create(CultureInfo.InvariantCulture, $"{1960 + random.Next(45)}-{1 + random.Next(12):D2}-{1 + random.Next(28):D2}"),
            "GENDER" => random.Next(2) == 0 ? "female" : "male",
            _ when question.Options is { Count: > 0 } options => options[random.Next(options.Count)].Key,
            _ => string.Create(CultureInfo.InvariantCulture, $"Answer {1 + random.Next(999)} to {question.Key}"),
        };
}
