using System.Text;
using Pyrometer.Sampling.Python;
using Pyrometer.Sampling.Target;

namespace Pyrometer.Sampling.Tests.Target;

public sealed class PythonVersionTextTests
{
    [Theory]
    [InlineData("3.10.13 (main, Nov 21 2026, 06:00:00) [GCC 12.2.0]", 0x030A0DF0UL, "3.10.13")]
    [InlineData("3.9.18 (main, Jan  1 2024, 00:00:00) \n[GCC 12.2.0]", 0x030912F0UL, "3.9.18")]
    [InlineData("3.11.0a7+ (heads/main:abc, Apr 1 2022) [Clang]", 0x030B00A7UL, "3.11.0a7")]
    [InlineData("3.10.0rc2 (default, Sep 1 2021)", 0x030A00C2UL, "3.10.0rc2")]
    [InlineData("3.8.0b4 (tags/v3.8.0b4)", 0x030800B4UL, "3.8.0b4")]
    public void TryParse_VersionText_GivesHexAndPythonSpelling(string text, ulong hex, string spelled)
    {
        Assert.True(PythonVersionText.TryParse(text, out var version));

        Assert.Equal(hex, version.Hex);
        Assert.Equal(spelled, version.ToString());
        Assert.Equal(version, PythonVersion.FromHex(hex));
    }

    [Theory]
    [InlineData("3.10.13")]              // no build info: not the sys.version buffer
    [InlineData("Python 3.10.13 (main")] // does not start the text
    [InlineData("")]
    public void TryParse_NotVersionText_ReturnsFalse(string text)
    {
        Assert.False(PythonVersionText.TryParse(text, out _));
    }

    [Fact]
    public void TryFind_TextAfterNulInMemory_FindsIt()
    {
        var memory = Encoding.Latin1.GetBytes("\0\0\u00ff\u0001garbage\0" + "3.9.18 (main, Jan 1 2024) [GCC]\0\0");

        Assert.True(PythonVersionText.TryFind(memory, 9, out var version));
        Assert.Equal(new PythonVersion(3, 9, 18, PythonVersion.Final, 0), version);
    }

    [Fact]
    public void TryFind_VersionInsideOtherText_IsIgnored()
    {
        var memory = Encoding.ASCII.GetBytes("\0built with 3.9.1 (x)\0");

        Assert.False(PythonVersionText.TryFind(memory, null, out _));
    }

    [Fact]
    public void TryFind_WrongMinorFirst_SkipsToExpectedMinor()
    {
        var memory = Encoding.ASCII.GetBytes("3.8.1 (a)\0" + "3.10.2 (b)\0");

        Assert.True(PythonVersionText.TryFind(memory, 10, out var version));
        Assert.Equal(2, version.Micro);
    }
}
