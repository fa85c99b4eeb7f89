using System.Globalization;
using Leadwire.Features.Export;

namespace Leadwire.Tests.Unit.Export;

public sealed class ExportTimeTests
{
    [Theory]
    [InlineData("2026-01-05T10:30:00.0000000Z", "2026-01-05T10:30:00Z")]
    [InlineData("2026-01-05T10:30:00.2500000Z", "2026-01-05T10:30:00.25Z")]
    [InlineData("2026-12-31T23:59:59.9999999Z", "2026-12-31T23:59:59.9999999Z")]
    [InlineData("0001-01-01T00:00:00.0000001Z", "0001-01-01T00:00:00.0000001Z")]
    public void Format_Examples_TrailingZerosAndPointDropped(string time, string expected)
    {
        Assert.Equal(expected, ExportTime.Format(DateTime.Parse(time, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal)));
    }

    [Fact]
    public void FormatAndParse_ManyTimes_AgreeWithTheGeneralFormatterAndParser()
    {
        var random = new Random(20261122);
        for (var i = 0; i < 20_000; i++)
        {
            var ticks = random.NextInt64(DateTime.MinValue.Ticks, DateTime.MaxValue.Ticks);
            // Every shape of fraction: none, a few digits, all seven.
            var time = new DateTime(i % 3 == 0 ? ticks - (ticks % TimeSpan.TicksPerSecond) : i % 3 == 1 ? ticks - (ticks % 10_000) : ticks, DateTimeKind.Utc);

            Assert.Equal(time.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture), ExportTime.Format(time));

            // As EF Core's SQLite provider stores it.
            var stored = time.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture);
            Assert.True(ExportTime.TryParseStored(stored, out var parsed), stored);
            Assert.Equal(time, parsed);
            Assert.Equal(DateTimeKind.Utc, parsed.Kind);
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("2026-01-05")]
    [InlineData("2026-01-05T10:30:00")]
    [InlineData("2026-01-05 10:30:00Z")]
    [InlineData("2026-01-05 10:30:00.")]
    [InlineData("2026-01-05 10:30:00.12345678")]
    [InlineData("2026-02-30 10:30:00")]
    [InlineData("2026-13-01 10:30:00")]
    [InlineData("2026-01-05 24:00:00")]
    [InlineData("2026-01-05 1a:30:00")]
    public void TryParseStored_OtherShapes_Refused(string text)
    {
        Assert.False(ExportTime.TryParseStored(text, out _));
    }
}
