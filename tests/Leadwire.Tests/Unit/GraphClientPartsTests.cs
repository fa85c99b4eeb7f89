using System.Net.Http.Headers;
using System.Text;
using Leadwire.Features.Jobs;
using Leadwire.Meta;

namespace Leadwire.Tests.Unit;

public sealed class GraphClientPartsTests
{
    [Fact]
    public void AppSecretProof_MetaTestVector_Matches()
    {
        Assert.Equal("02c95246e95fa121995001968517815dcdc9edc231c9ef45f0bc89075414d4db", AppSecretProof.Compute("fake_app_secret", "EAAFAKE-TOKEN"));
    }

    [Theory]
    [InlineData(4)]
    [InlineData(17)]
    [InlineData(32)]
    [InlineData(613)]
    [InlineData(80000)]
    [InlineData(80005)]
    [InlineData(80014)]
    public void Classify_RateLimitCodes_AreRateLimited(int code)
    {
        Assert.IsType<GraphRateLimitedException>(GraphErrorClassifier.Classify(Error(code), 400, null));
    }

    [Theory]
    [InlineData(190, typeof(GraphAuthException))]
    [InlineData(102, typeof(GraphAuthException))]
    [InlineData(10, typeof(GraphPermissionException))]
    [InlineData(200, typeof(GraphPermissionException))]
    [InlineData(294, typeof(GraphPermissionException))]
    [InlineData(1, typeof(GraphTransientException))]
    [InlineData(2, typeof(GraphTransientException))]
    [InlineData(100, typeof(GraphPermanentException))]
    [InlineData(80015, typeof(GraphPermanentException))]
    public void Classify_Codes_MapToKinds(int code, Type expected)
    {
        Assert.IsType(expected, GraphErrorClassifier.Classify(Error(code), 400, null));
    }

    [Fact]
    public void Classify_UnknownCodeMarkedTransient_IsTransient()
    {
        Assert.IsType<GraphTransientException>(GraphErrorClassifier.Classify(Error(100) with { IsTransient = true }, 400, null));
    }

    [Theory]
    [InlineData(500, typeof(GraphTransientException))]
    [InlineData(503, typeof(GraphTransientException))]
    [InlineData(429, typeof(GraphTransientException))]
    [InlineData(404, typeof(GraphPermanentException))]
    public void Classify_NoErrorObject_ByStatus(int status, Type expected)
    {
        Assert.IsType(expected, GraphErrorClassifier.Classify(null, status, null));
    }

    [Fact]
    public void Classify_RateLimitWithBucHeader_WaitsAsLongAsMetaSays()
    {
        using var response = new HttpResponseMessage();
        response.Headers.Add("X-Business-Use-Case-Usage",
            """{"100000000000001":[{"type":"leadgen","call_count":100,"total_cputime":20,"total_time":20,"estimated_time_to_regain_access":7}]}""");
        response.Headers.Add("X-App-Usage", """{"call_count":28,"total_time":25,"total_cputime":25}""");
        var failure = Assert.IsType<GraphRateLimitedException>(GraphErrorClassifier.Classify(Error(80005), 400, response.Headers));
        Assert.Equal(TimeSpan.FromMinutes(7), failure.RetryAfter);
    }

    [Fact]
    public void Classify_RateLimitWithoutEstimate_HasNoRetryAfter()
    {
        using var response = new HttpResponseMessage();
        response.Headers.Add("X-App-Usage", """{"call_count":100,"total_time":25,"total_cputime":25}""");
        var failure = Assert.IsType<GraphRateLimitedException>(GraphErrorClassifier.Classify(Error(4), 400, response.Headers));
        Assert.Null(failure.RetryAfter);
        Assert.Equal(100, GraphUsage.PeakUsagePercent(response.Headers));
    }

    [Fact]
    public void Parse_MetaErrorObject_ReadsEveryField()
    {
        var error = GraphErrorClassifier.Parse(Encoding.UTF8.GetBytes(
            """{"error":{"message":"(#100) Invalid parameter","type":"OAuthException","code":100,"error_subcode":1487534,"is_transient":false,"error_user_title":"T","error_user_msg":"M","fbtrace_id":"AbC"}}"""));
        Assert.Equal(new GraphError("(#100) Invalid parameter", "OAuthException", 100, 1487534, false, "T", "M", "AbC"), error);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("""{"data":[]}""")]
    [InlineData("[]")]
    public void Parse_NotAnErrorObject_ReturnsNull(string body)
    {
        Assert.Null(GraphErrorClassifier.Parse(Encoding.UTF8.GetBytes(body)));
    }

    [Fact]
    public void GraphTime_MetaFormatWithoutColon_ParsesAsUtc()
    {
        Assert.Equal(new DateTime(2026, 1, 1, 8, 49, 14, DateTimeKind.Utc), GraphJson.ParseTime("2026-01-01T08:49:14+0000"));
        Assert.Equal(new DateTime(2026, 1, 1, 6, 49, 14, DateTimeKind.Utc), GraphJson.ParseTime("2026-01-01T08:49:14+0200"));
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1767225590).UtcDateTime, GraphJson.ParseTime("1767225590"));
    }

    [Fact]
    public void Backoff_GrowsExponentiallyWithJitterAndCap()
    {
        var baseDelay = TimeSpan.FromSeconds(2);
        var max = TimeSpan.FromMinutes(1);
        Assert.Equal(TimeSpan.FromSeconds(1), Backoff.Delay(1, baseDelay, max, 0));
        Assert.Equal(TimeSpan.FromSeconds(2), Backoff.Delay(1, baseDelay, max, 0.999999).RoundToSeconds());
        Assert.Equal(TimeSpan.FromSeconds(8), Backoff.Delay(3, baseDelay, max, 0.999999).RoundToSeconds());
        Assert.Equal(TimeSpan.FromSeconds(60), Backoff.Delay(30, baseDelay, max, 0.999999).RoundToSeconds());
        Assert.Equal(TimeSpan.FromSeconds(30), Backoff.Delay(30, baseDelay, max, 0));
    }

    private static GraphError Error(int code) => new($"(#{code}) test", "OAuthException", code, null, null, null, null, "trace");
}

internal static class TimeSpanRounding
{
    public static TimeSpan RoundToSeconds(this TimeSpan span) => TimeSpan.FromSeconds(Math.Round(span.TotalSeconds));
}
