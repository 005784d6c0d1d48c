using Pyrometer.Rendering.Formats;
using Pyrometer.Rendering.Tests.Support;

namespace Pyrometer.Rendering.Tests.Formats;

public sealed class OutputFormatsTests
{
    [Theory]
    [InlineData("flamegraph", "svg", "image/svg+xml")]
    [InlineData("speedscope", "speedscope.json", "application/json")]
    [InlineData("folded", "folded", "text/plain; charset=utf-8")]
    [InlineData("pprof", "pb.gz", "application/octet-stream")]
    public void Find_KnownName_ExtensionAndContentType(string name, string extension, string contentType)
    {
        var format = OutputFormats.Find(name);

        Assert.Equal((name, extension, contentType), (format.Name, format.Extension, format.ContentType));
    }

    [Fact]
    public void Find_UnknownName_ThrowsListingValidNames()
    {
        var error = Assert.Throws<ArgumentException>(() => OutputFormats.Find("png"));

        Assert.Contains("'png'", error.Message, StringComparison.Ordinal);
        Assert.Contains("flamegraph|speedscope|folded|pprof", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseList_CommaSeparated_InOrderWithoutDuplicates()
    {
        Assert.Equal(["pprof", "flamegraph"], OutputFormats.ParseList("pprof, FlameGraph,pprof").Select(f => f.Name));
        Assert.Throws<ArgumentException>(() => OutputFormats.ParseList(" , "));
    }

    [Fact]
    public void Write_EveryFormat_WritesLoadableOrParsableBytes()
    {
        var profile = RandomProfiles.Create(2, 100).Profile;
        foreach (var format in OutputFormats.All)
        {
            using var output = new MemoryStream();
            format.Write(profile, output);

            Assert.True(output.Length > 0, $"{format} wrote nothing");
            if (format == OutputFormats.Folded || format == OutputFormats.Pprof)
            {
                output.Position = 0;
                Assert.Equal(profile.TotalSamples, ProfileLoader.Load(output, "x").TotalSamples);
            }
        }
    }
}
