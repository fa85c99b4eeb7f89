using System.Text;
using Leadwire.Features.Webhooks;

namespace Leadwire.Tests.Unit;

public sealed class WebhookSignatureTests
{
    // Test vectors from shared/meta-api/leadgen.md §4.
    private const string Secret = "fake_app_secret";
    private const string Body =
        """{"object":"page","entry":[{"id":"100000000000001","time":1767225600,"changes":[{"field":"leadgen","value":{"leadgen_id":"900000000000001","page_id":"100000000000001","form_id":"200000000000001","adgroup_id":"300000000000001","ad_id":"300000000000001","created_time":1767225590}}]}]}""";

    private static readonly byte[] Key = Encoding.UTF8.GetBytes(Secret);

    [Fact]
    public void IsValid_MetaTestVector_Accepted()
    {
        var body = Encoding.UTF8.GetBytes(Body);
        Assert.Equal(282, body.Length);
        Assert.True(WebhookSignature.IsValid(body, "sha256=a5aeb03013dcd761e2bbaf3e18ed273611030e62ea62c7bf53fc803337d20db3", Key));
    }

    [Fact]
    public void IsValid_TinyVector_Accepted()
    {
        Assert.True(WebhookSignature.IsValid(
            Encoding.UTF8.GetBytes("""{"object":"page","entry":[]}"""),
            "sha256=c25c724b173251a5e801dc02f768884e9648c282a1fefa522fabbd9095ed31d9", Key));
    }

    [Fact]
    public void IsValid_UppercaseHex_Accepted()
    {
        Assert.True(WebhookSignature.IsValid(
            Encoding.UTF8.GetBytes("""{"object":"page","entry":[]}"""),
            "sha256=C25C724B173251A5E801DC02F768884E9648C282A1FEFA522FABBD9095ED31D9", Key));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("sha256=")]
    [InlineData("sha1=de69117084f70e345783a51d783a51b850b222bd")]
    [InlineData("sha256=a5aeb03013dcd761e2bbaf3e18ed273611030e62ea62c7bf53fc803337d20db4")]
    [InlineData("sha256=zzaeb03013dcd761e2bbaf3e18ed273611030e62ea62c7bf53fc803337d20db3")]
    [InlineData("a5aeb03013dcd761e2bbaf3e18ed273611030e62ea62c7bf53fc803337d20db3")]
    public void IsValid_WrongOrMissingSignature_Rejected(string? header)
    {
        Assert.False(WebhookSignature.IsValid(Encoding.UTF8.GetBytes(Body), header, Key));
    }

    [Fact]
    public void IsValid_BodyChangedByOneByte_Rejected()
    {
        var body = Encoding.UTF8.GetBytes(Body + " ");
        Assert.False(WebhookSignature.IsValid(body, "sha256=a5aeb03013dcd761e2bbaf3e18ed273611030e62ea62c7bf53fc803337d20db3", Key));
    }
}
