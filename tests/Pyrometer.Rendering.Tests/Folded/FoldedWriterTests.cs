using System.Text;
using Pyrometer.Rendering.Folded;
using Pyrometer.Rendering.Model;
using Pyrometer.Rendering.Tests.Support;

namespace Pyrometer.Rendering.Tests.Folded;

public sealed class FoldedWriterTests
{
    [Fact]
    public void Write_Profile_OneLinePerStackWithCount()
    {
        var builder = new ProfileBuilder();
        var main = builder.InternPython("main", "app.py", 1);
        var work = builder.InternPython("work", "app.py", 9);
        builder.AddSample([main, work], 5);
        builder.AddSample([main], 2);

        Assert.Equal("main (app.py:1) 2\nmain (app.py:1);work (app.py:9) 5\n", Write(builder.Build(ProfileMetadata.None)));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public void Write_RandomProfile_RoundTripsExactly(int seed)
    {
        var (stacks, profile) = RandomProfiles.Create(seed, 300);

        var first = Write(profile);
        var reread = FoldedReader.Read(new StringReader(first), ProfileMetadata.None);
        var second = Write(reread);

        Assert.Equal(first, second);
        Assert.Equal(stacks.Sum(s => s.Count), reread.TotalSamples);
        var expected = stacks.Select(s => string.Join(";", s.Frames.Select(f => f.Text)) + " " + s.Count).Order(StringComparer.Ordinal);
        Assert.Equal(expected, first.TrimEnd('\n').Split('\n').Order(StringComparer.Ordinal));
    }

    private static string Write(Profile profile)
    {
        using var output = new MemoryStream();
        FoldedWriter.Write(profile, output);
        return Encoding.UTF8.GetString(output.ToArray());
    }
}
