using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Leadwire.Features.Privacy;

namespace Leadwire.Tests.Unit.Privacy;

public sealed class SignedRequestTests
{
    private static readonly byte[] Secret = Encoding.UTF8.GetBytes("fake_app_secret");

    // Built outside .NET (Python hmac + urlsafe_b64encode, padding stripped), the way Meta's PHP sample reads it:
    // {"algorithm":"HMAC-SHA256","issued_at":1767225600,"user_id":"218471"}.
    private const string MetaStyleVector =
        "Yhl7RK_AFTf82CDhwH6PZ1Y69S7pWVron4DjPD_zhi8.eyJhbGdvcml0aG0iOiJITUFDLVNIQTI1NiIsImlzc3VlZF9hdCI6MTc2NzIyNTYwMCwidXNlcl9pZCI6IjIxODQ3MSJ9";

    private static readonly SignedRequestPayload VectorPayload =
        new("218471", "HMAC-SHA256", new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    [Fact]
    public void TryParse_ExternallyBuiltVector_Accepted()
    {
        Assert.True(SignedRequest.TryParse(MetaStyleVector, Secret, out var payload, out var error));

        Assert.Null(error);
        Assert.Equal(VectorPayload, payload);
    }

    [Fact]
    public void Create_VectorPayload_SameStringAsExternalSigner()
    {
        Assert.Equal(MetaStyleVector, SignedRequest.Create(VectorPayload, Secret));
    }

    [Fact]
    public void Create_ThenTryParse_RoundTrips()
    {
        var sent = new SignedRequestPayload("app-scoped/ü", "HMAC-SHA256", null);

        var signed = SignedRequest.Create(sent, Secret);

        Assert.DoesNotContain('=', signed);
        Assert.True(SignedRequest.TryParse(signed, Secret, out var payload, out _));
        Assert.Equal(sent, payload);
    }

    [Fact]
    public void TryParse_PayloadChangedAfterSigning_Rejected()
    {
        var signature = MetaStyleVector[..MetaStyleVector.IndexOf('.', StringComparison.Ordinal)];
        var forged = Base64Url.EncodeToString("""{"algorithm":"HMAC-SHA256","issued_at":1767225600,"user_id":"999999"}"""u8);

        Assert.False(SignedRequest.TryParse(signature + "." + forged, Secret, out var payload, out var error));

        Assert.Null(payload);
        Assert.StartsWith("The signature does not match", error, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_OneCharacterOfPayloadChanged_Rejected()
    {
        var tampered = MetaStyleVector[..^2] + (MetaStyleVector[^2] == 'y' ? 'z' : 'y') + MetaStyleVector[^1];

        Assert.False(SignedRequest.TryParse(tampered, Secret, out _, out var error));

        Assert.StartsWith("The signature does not match", error, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_WrongSecret_Rejected()
    {
        Assert.False(SignedRequest.TryParse(MetaStyleVector, Encoding.UTF8.GetBytes("another_secret"), out var payload, out var error));

        Assert.Null(payload);
        Assert.StartsWith("The signature does not match", error, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_SignedButOtherAlgorithm_Rejected()
    {
        var signed = SignedRequest.Create(VectorPayload with { Algorithm = "HMAC-SHA1" }, Secret);

        Assert.False(SignedRequest.TryParse(signed, Secret, out var payload, out var error));

        Assert.Null(payload);
        Assert.Equal("The payload's algorithm is \"HMAC-SHA1\"; only HMAC-SHA256 is accepted.", error);
    }

    [Fact]
    public void TryParse_SignedButNoUserId_Rejected()
    {
        var signed = Sign("""{"algorithm":"HMAC-SHA256","issued_at":1767225600}""");

        Assert.False(SignedRequest.TryParse(signed, Secret, out _, out var error));

        Assert.Equal("The payload has no user_id.", error);
    }

    [Theory]
    [InlineData("""{"algorithm":"HMAC-SHA256","user_id":"1","issued_at":"yesterday"}""", "The payload's issued_at is not a unix time in seconds.")]
    [InlineData("""{"algorithm":"HMAC-SHA256","user_id":"1","issued_at":1.5}""", "The payload's issued_at is not a unix time in seconds.")]
    [InlineData("""["HMAC-SHA256"]""", "The payload is not a JSON object.")]
    [InlineData("""{"algorithm":"HMAC-SHA256","user_id":"1"} trailing""", "The payload is not JSON.")]
    [InlineData("not json", "The payload is not JSON.")]
    [InlineData("""{"user_id":"1"}""", "The payload has no algorithm; expected HMAC-SHA256.")]
    public void TryParse_SignedButMalformedPayload_RejectedWithReason(string json, string expected)
    {
        Assert.False(SignedRequest.TryParse(Sign(json), Secret, out var payload, out var error));

        Assert.Null(payload);
        Assert.Equal(expected, error);
    }

    [Fact]
    public void TryParse_NumericUserIdAndNoIssuedAt_Accepted()
    {
        Assert.True(SignedRequest.TryParse(Sign("""{"algorithm":"hmac-sha256","user_id":218471}"""), Secret, out var payload, out _));

        Assert.Equal(new SignedRequestPayload("218471", "hmac-sha256", null), payload);
    }

    [Theory]
    [InlineData(null, "signed_request is empty.")]
    [InlineData("", "signed_request is empty.")]
    [InlineData("garbage", "signed_request is not <signature>.<payload>.")]
    [InlineData(".eyJ9", "signed_request is not <signature>.<payload>.")]
    [InlineData("abc.", "signed_request is not <signature>.<payload>.")]
    [InlineData("a.b.c", "signed_request is not <signature>.<payload>.")]
    [InlineData("!!!.eyJ9", "The signature is not base64url.")]
    [InlineData("abc+/.eyJ9", "The signature is not base64url.")]
    [InlineData("abcd.eyJ9", "The signature does not match; the request was not signed with this app's secret.")]
    public void TryParse_Garbage_RejectedWithReason(string? signedRequest, string expected)
    {
        Assert.False(SignedRequest.TryParse(signedRequest, Secret, out var payload, out var error));

        Assert.Null(payload);
        Assert.Equal(expected, error);
    }

    [Fact]
    public void TryParse_OverlongSignature_Rejected()
    {
        var longSignature = Base64Url.EncodeToString(new byte[64]);

        Assert.False(SignedRequest.TryParse(longSignature + ".eyJ9", Secret, out _, out var error));

        Assert.Equal("The signature is not base64url.", error);
    }

    [Fact]
    public void TryParse_HugeInput_RejectedBeforeWork()
    {
        Assert.False(SignedRequest.TryParse(new string('a', 10_000) + ".eyJ9", Secret, out _, out var error));

        Assert.Equal("signed_request is longer than 8192 characters.", error);
    }

    /// <summary>Signs arbitrary payload text, so tests can reach the checks that run after the signature.</summary>
    private static string Sign(string json)
    {
        var encoded = Base64Url.EncodeToString(Encoding.UTF8.GetBytes(json));
        return Base64Url.EncodeToString(HMACSHA256.HashData(Secret, Encoding.UTF8.GetBytes(encoded))) + "." + encoded;
    }
}
