using Pyrometer.Operator.Api.V1Alpha1;

namespace Pyrometer.Operator.Tests.Api.V1Alpha1;

public sealed class GoDurationTests
{
    [Theory]
    [InlineData("30s", 30)]
    [InlineData("5m", 300)]
    [InlineData("1h", 3600)]
    [InlineData("1h30m", 5400)]
    [InlineData("1.5s", 1.5)]
    [InlineData("250ms", 0.25)]
    public void TryParse_GoDuration_ReturnsSeconds(string text, double seconds)
    {
        Assert.True(GoDuration.TryParse(text, out var duration));
        Assert.Equal(TimeSpan.FromSeconds(seconds), duration);
    }

    [Theory]
    [InlineData("")]
    [InlineData(null)]
    [InlineData("30")]
    [InlineData("s")]
    [InlineData("5 m")]
    [InlineData("1d")]
    [InlineData("-5s")]
    [InlineData("1..5s")]
    public void TryParse_NotAGoDuration_ReturnsFalse(string? text)
    {
        Assert.False(GoDuration.TryParse(text, out _));
    }

    [Theory]
    [InlineData(30, "30s")]
    [InlineData(300, "5m")]
    [InlineData(3725, "1h2m5s")]
    [InlineData(0, "0s")]
    public void Format_WholeSeconds_PrintsGoStyle(int seconds, string expected)
    {
        Assert.Equal(expected, GoDuration.Format(TimeSpan.FromSeconds(seconds)));
    }
}
