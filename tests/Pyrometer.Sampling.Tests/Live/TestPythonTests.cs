namespace Pyrometer.Sampling.Tests.Live;

public sealed class TestPythonTests
{
    [Theory]
    [InlineData("3.8.18", 3, 8)]
    [InlineData("3.15.0a2", 3, 15)]
    [InlineData("3.14", 3, 14)]
    public void MajorMinor_Version_ReadsBothNumbers(string version, int major, int minor)
    {
        Assert.Equal((major, minor), new TestPython("/p", version, "pyenv").MajorMinor);
    }

    [Fact]
    public void MajorMinor_NotAVersion_ThrowsNamingIt()
    {
        var error = Assert.Throws<FormatException>(() => new TestPython("/p", "python3", "env").MajorMinor);

        Assert.Contains("'python3'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("3.10.13", 3, 9, true)]
    [InlineData("3.10.13", 3, 10, true)]
    [InlineData("3.10.13", 3, 11, false)]
    [InlineData("3.9.2", 3, 11, false)]
    public void IsAtLeast_ComparesNumerically(string version, int major, int minor, bool expected)
    {
        Assert.Equal(expected, new TestPython("/p", version, "pyenv").IsAtLeast(major, minor));
    }

    [Fact]
    public void ToString_ShowsVersionAndOrigin()
    {
        Assert.Equal("3.11.2 debian-bookworm", new TestPython("/usr/bin/python3.11", "3.11.2", "debian-bookworm").ToString());
    }
}
