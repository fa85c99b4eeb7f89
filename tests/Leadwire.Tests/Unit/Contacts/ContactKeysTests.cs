using Leadwire.Features.Contacts;

namespace Leadwire.Tests.Unit.Contacts;

public sealed class ContactKeysTests
{
    [Theory]
    [InlineData("+1 (555) 555-0100", "15555550100")]
    [InlineData("15555550100", "15555550100")]
    [InlineData("+44 20 7946 0958", "442079460958")]
    [InlineData("0044 20 7946 0958", "442079460958")]
    [InlineData("00442079460958", "442079460958")]
    [InlineData("555.555.0100", "5555550100")]
    [InlineData("  0532 123 45 67 ", "05321234567")]
    [InlineData("tel: +90-532-123-45-67", "905321234567")]
    [InlineData("١٢٣٤٥٦٧", "1234567")]
    [InlineData("123456", "123456")]
    public void NormalisePhone_TypedNumber_DigitsWithoutInternationalPrefix(string phone, string expected)
    {
        Assert.Equal(expected, ContactKeys.NormalisePhone(phone));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("12345")]
    [InlineData("+1 234-5")]
    [InlineData("0012345")]
    [InlineData("n/a")]
    public void NormalisePhone_TooFewDigits_Null(string? phone)
    {
        Assert.Null(ContactKeys.NormalisePhone(phone));
    }

    [Theory]
    [InlineData("  Jane.Doe+Leads@Example.COM ", "jane.doe+leads@example.com")]
    [InlineData("a@b", "a@b")]
    [InlineData("Ayşe@Ünïcode.example", "ayşe@ünïcode.example")]
    public void NormaliseEmail_WithAt_TrimmedLowerCaseDotsAndTagsKept(string email, string expected)
    {
        Assert.Equal(expected, ContactKeys.NormaliseEmail(email));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    [InlineData("jane.example.com")]
    public void NormaliseEmail_EmptyOrWithoutAt_Null(string? email)
    {
        Assert.Null(ContactKeys.NormaliseEmail(email));
    }

    [Theory]
    [InlineData("  Jane   Doe ", "jane doe")]
    [InlineData("José\tÁlvarez\nRuiz", "josé álvarez ruiz")]
    [InlineData("Çelik", "çelik")]
    public void NormaliseName_Spaced_TrimmedCollapsedLowerCaseDiacriticsKept(string name, string expected)
    {
        Assert.Equal(expected, ContactKeys.NormaliseName(name));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData(" \t ")]
    public void NormaliseName_Blank_Null(string? name)
    {
        Assert.Null(ContactKeys.NormaliseName(name));
    }

    [Theory]
    [InlineData(" Jane@Example.com ", SearchTermKind.Email, "jane@example.com")]
    [InlineData("@example", SearchTermKind.Email, "@example")]
    [InlineData("+1 (555) 555-0100", SearchTermKind.Phone, "15555550100")]
    [InlineData("555.555.0100", SearchTermKind.Phone, "5555550100")]
    [InlineData("0044 20 7946 0958", SearchTermKind.Phone, "442079460958")]
    [InlineData("555 01", SearchTermKind.Name, "555 01")]
    [InlineData("Jane  Doe", SearchTermKind.Name, "jane doe")]
    [InlineData("Agent 007", SearchTermKind.Name, "agent 007")]
    [InlineData("555-0100 ext 2", SearchTermKind.Name, "555-0100 ext 2")]
    [InlineData("0012345", SearchTermKind.Name, "0012345")]
    [InlineData("   ", SearchTermKind.Name, "")]
    public void Classify_SearchString_KindAndNormalisedValue(string q, SearchTermKind kind, string value)
    {
        Assert.Equal(new SearchTerm(kind, value), ContactKeys.Classify(q));
    }

    [Fact]
    public void NormalisePhone_SameNumberWrittenThreeWays_SameKey()
    {
        var international = ContactKeys.NormalisePhone("+44 20 7946 0958");
        var dialled = ContactKeys.NormalisePhone("0044 (20) 7946-0958");
        var dotted = ContactKeys.NormalisePhone("44.20.7946.0958");

        Assert.Equal("442079460958", international);
        Assert.Equal(international, dialled);
        Assert.Equal(international, dotted);
    }
}
