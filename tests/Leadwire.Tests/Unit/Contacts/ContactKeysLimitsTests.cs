using Leadwire.Features.Contacts;

namespace Leadwire.Tests.Unit.Contacts;

/// <summary>Keys that would not fit their columns are no keys at all, so they can never fail a lead's insert.</summary>
public sealed class ContactKeysLimitsTests
{
    [Fact]
    public void NormalisePhone_MoreDigitsThanAnyNumber_Null()
    {
        Assert.Equal(new string('1', 32), ContactKeys.NormalisePhone(new string('1', 32)));
        Assert.Null(ContactKeys.NormalisePhone(new string('1', 33)));
    }

    [Fact]
    public void NormaliseEmail_LongerThanTheColumn_Null()
    {
        var fits = new string('a', 256 - "@x.io".Length) + "@x.io";
        Assert.Equal(fits, ContactKeys.NormaliseEmail(fits));
        Assert.Null(ContactKeys.NormaliseEmail("a" + fits));
    }

    [Fact]
    public void NormaliseName_LongerThanTheColumn_CutWithoutSplittingASurrogatePair()
    {
        Assert.Equal(256, ContactKeys.NormaliseName(new string('a', 300))!.Length);
        // 255 letters then an emoji (two UTF-16 units): cutting at 256 would leave half of it.
        var name = new string('a', 255) + "😀" + "tail";
        Assert.Equal(new string('a', 255), ContactKeys.NormaliseName(name));
        Assert.Equal(new string('a', 255), ContactKeys.DisplayName("  " + name));
        Assert.Null(ContactKeys.DisplayName("   "));
    }
}
