namespace Pyrometer.Sampling.Tests.Live;

public sealed class PythonManifestTests
{
    [Fact]
    public void ParseInstalled_ThreeColumns_ReturnsInterpretersInOrder()
    {
        const string Text = "3.9.2\t/cache/bullseye/usr/bin/python3.9\tdebian-bullseye\n"
            + "\n# comment\n"
            + "3.15.0a2\t/cache/sid/usr/bin/python3.15\tdebian-sid\r\n";

        var pythons = PythonManifest.ParseInstalled(Text, "pythons.tsv");

        Assert.Equal(2, pythons.Count);
        Assert.Equal(("3.9.2", "/cache/bullseye/usr/bin/python3.9", "debian-bullseye"), (pythons[0].Version, pythons[0].Path, pythons[0].Origin));
        Assert.Equal(("3.15.0a2", "debian-sid"), (pythons[1].Version, pythons[1].Origin));
        Assert.All(pythons, p => Assert.True(p.IsAvailable));
    }

    [Theory]
    [InlineData("3.11.2\t/usr/bin/python3.11", "expected three tab-separated fields")]
    [InlineData("3.11\t/usr/bin/python3.11\tpyenv", "is not a Python version")]
    [InlineData("three\t/usr/bin/python3.11\tpyenv", "is not a Python version")]
    [InlineData("3.11.2\tpython3.11\tpyenv", "is not absolute")]
    [InlineData("3.11.2\t\tpyenv", "expected three tab-separated fields")]
    public void ParseInstalled_MalformedLine_ThrowsNamingFileAndLine(string line, string message)
    {
        var error = Assert.Throws<FormatException>(() => PythonManifest.ParseInstalled("# header\n" + line + "\n", "/c/pythons.tsv"));

        Assert.StartsWith("/c/pythons.tsv:2: ", error.Message, StringComparison.Ordinal);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseMissing_ReasonWithTabs_KeepsWholeReasonAsSkipReason()
    {
        var missing = PythonManifest.ParseMissing("3.14\tdebian-sid\tapt-get download failed:\tE: 404\n", "m.tsv");

        var python = Assert.Single(missing);
        Assert.False(python.IsAvailable);
        Assert.Equal("3.14", python.Version);
        Assert.Equal("CPython 3.14 (debian-sid) is not installed: apt-get download failed:\tE: 404", python.SkipReason);
    }

    [Fact]
    public void ParseMissing_EmptyReason_Throws()
    {
        var error = Assert.Throws<FormatException>(() => PythonManifest.ParseMissing("3.14\tdebian-sid\t\n", "m.tsv"));

        Assert.Contains("m.tsv:1", error.Message, StringComparison.Ordinal);
    }
}
