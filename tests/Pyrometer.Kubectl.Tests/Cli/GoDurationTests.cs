using Pyrometer.Kubectl.Cli;

namespace Pyrometer.Kubectl.Tests.Cli;

public sealed class GoDurationTests
{
    [Theory]
    [InlineData("30s", 30)]
    [InlineData("1m30s", 90)]
    [InlineData("2m", 120)]
    [InlineData("1h", 3600)]
    [InlineData("1500ms", 1.5)]
    [InlineData("45", 45)]
    public void TryParse_ValidDurations_GivesSeconds(string text, double seconds)
    {
        Assert.True(GoDuration.TryParse(text, out var duration, out var canonical, out var error), error);
        Assert.Equal(seconds, duration.TotalSeconds, 3);
        Assert.Matches("^([0-9.]+(ms|s|m|h))+$", canonical);
    }

    [Theory]
    [InlineData("")]
    [InlineData("10x")]
    [InlineData("-5s")]
    [InlineData("1.s")]
    [InlineData("s")]
    [InlineData("10 s")]
    public void TryParse_Malformed_SaysHowToWriteIt(string text)
    {
        Assert.False(GoDuration.TryParse(text, out _, out _, out var error));
        Assert.Contains("bad duration", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("500ms")]
    [InlineData("0s")]
    [InlineData("61m")]
    [InlineData("2h")]
    public void TryParse_OutOfRange_NamesTheRange(string text)
    {
        Assert.False(GoDuration.TryParse(text, out _, out _, out var error));
        Assert.Contains("between 1s and 1h", error, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_ControlCharacters_AreNotEchoed()
    {
        Assert.False(GoDuration.TryParse("1\u001b[2Js", out _, out _, out var error));
        Assert.DoesNotContain('\u001b', error);
    }
}
