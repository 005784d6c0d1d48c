using Pyrometer.Rendering.Model;
using Pyrometer.Rendering.Tests.Support;

namespace Pyrometer.Rendering.Tests.Model;

public sealed class LineFoldingTests
{
    [Fact]
    public void WithoutLines_TwoLinesOfOneFunction_MergeIntoOneFrameAndOneStack()
    {
        var profile = RandomProfiles.FromFolded(
            ProfileMetadata.None,
            ("pid 7 w;thread 3 Main;main (app.py:1);work (app.py:5)", 2),
            ("pid 7 w;thread 3 Main;main (app.py:1);work (app.py:9)", 3),
            ("pid 7 w;thread 3 Main;main (app.py:2);work (lib.py:9)", 4));

        var folded = LineFolding.WithoutLines(profile);

        Assert.Equal(9, folded.TotalSamples);
        Assert.Equal(2, folded.StackCount);
        Assert.Equal(["main (app.py)", "pid 7 w", "thread 3 Main", "work (app.py)", "work (lib.py)"], folded.Frames.Select(f => f.Text));
        var counts = Enumerable.Range(0, folded.StackCount).ToDictionary(i => string.Join(";", folded.GetStack(i).ToArray().Select(id => folded.GetFrame(id).Text)), folded.GetCount);
        Assert.Equal(5, counts["pid 7 w;thread 3 Main;main (app.py);work (app.py)"]);
        Assert.Equal(4, counts["pid 7 w;thread 3 Main;main (app.py);work (lib.py)"]);
    }

    [Theory]
    [InlineData(4)]
    [InlineData(5)]
    public void WithoutLines_RandomProfile_KeepsEverySampleAndIsIdempotent(int seed)
    {
        var profile = RandomProfiles.Create(seed, 800, functions: 90, maxDepth: 15).Profile;

        var once = LineFolding.WithoutLines(profile);
        var twice = LineFolding.WithoutLines(once);

        Assert.Equal(profile.TotalSamples, once.TotalSamples);
        Assert.All(once.Frames.Where(f => !f.IsPseudo), f => Assert.Equal(0, f.Line));
        Assert.Equal(profile.Metadata, once.Metadata);
        Assert.Same(once, twice);   // nothing left to fold: no rebuild
    }
}
