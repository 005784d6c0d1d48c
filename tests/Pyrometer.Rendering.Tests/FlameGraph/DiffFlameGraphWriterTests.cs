using Pyrometer.Rendering.FlameGraph;
using Pyrometer.Rendering.Model;
using Pyrometer.Rendering.Tests.Support;

namespace Pyrometer.Rendering.Tests.FlameGraph;

public sealed class DiffFlameGraphWriterTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Write_SameProfileTwice_EveryFrameNeutral(int seed)
    {
        var profile = RandomProfiles.Create(seed, 1500, functions: 150, maxDepth: 20).Profile;

        var boxes = SvgFrames.Boxes(SvgFrames.Parse(Write(profile, profile)));

        Assert.NotEmpty(boxes);
        Assert.All(boxes, b => Assert.Equal(FrameColors.Neutral, b.Fill));
        Assert.All(boxes, b => Assert.EndsWith("change 0.00 percentage points", b.Details, StringComparison.Ordinal));
    }

    [Fact]
    public void Write_ScaledCopy_NeutralWhenNormalised()
    {
        var before = RandomProfiles.FromFolded(ProfileMetadata.None, ("a (x.py:1);b (x.py:2)", 3), ("a (x.py:1);c (x.py:3)", 1));
        var after = RandomProfiles.FromFolded(ProfileMetadata.None, ("a (x.py:1);b (x.py:2)", 30), ("a (x.py:1);c (x.py:3)", 10));

        Assert.All(SvgFrames.Boxes(SvgFrames.Parse(Write(before, after))), b => Assert.Equal(FrameColors.Neutral, b.Fill));
        var raw = SvgFrames.Boxes(SvgFrames.Parse(Write(before, after, new DiffOptions { Normalize = false })));
        Assert.DoesNotContain(raw, b => b.Fill == FrameColors.Neutral);
    }

    [Fact]
    public void Write_ShareMoved_GrownRedShrunkBlueWithBothShares()
    {
        var before = RandomProfiles.FromFolded(ProfileMetadata.None, ("main (x.py:1);slow (x.py:2)", 50), ("main (x.py:1);fast (x.py:3)", 50));
        var after = RandomProfiles.FromFolded(ProfileMetadata.None, ("main (x.py:1);slow (x.py:2)", 80), ("main (x.py:1);fast (x.py:3)", 20), ("main (x.py:1);new (x.py:4)", 0 + 100));

        var boxes = SvgFrames.Boxes(SvgFrames.Parse(Write(before, after)));

        var slow = boxes.Single(b => b.Name == "slow (x.py:2)");
        var fast = boxes.Single(b => b.Name == "fast (x.py:3)");
        var added = boxes.Single(b => b.Name == "new (x.py:4)");
        Assert.Equal("before 50.00% (50), after 40.00% (80), change -10.00 percentage points", slow.Details);
        Assert.StartsWith("rgb(", fast.Fill, StringComparison.Ordinal);
        Assert.True(Blue(fast.Fill) > Red(fast.Fill), "fast shrank from 50% to 10%: blue");
        Assert.True(Red(added.Fill) > Blue(added.Fill), "new grew from 0% to 50%: red");
        Assert.Equal("before 0.00% (0), after 50.00% (100), change +50.00 percentage points", added.Details);
        Assert.Equal(FrameColors.Neutral, boxes.Single(b => b.Name == "main (x.py:1)").Fill);
    }

    [Fact]
    public void Write_MergedNarrowFrames_BeforeCountsOnlyTheMergedFrames()
    {
        var lines = new List<(string, long)> { ("main (x.py:1);big (x.py:2)", 100_000) };
        lines.AddRange(Enumerable.Range(0, 50).Select(i => ($"main (x.py:1);tiny{i} (x.py:3)", 1L)));
        var profile = RandomProfiles.FromFolded(ProfileMetadata.None, [.. lines]);
        var before = RandomProfiles.FromFolded(ProfileMetadata.None, [.. lines.Take(26)]);

        var merged = SvgFrames.Boxes(SvgFrames.Parse(Write(before, profile))).Single(b => b.Merged);

        Assert.Contains("(25), after", merged.Details, StringComparison.Ordinal);
        Assert.Contains("(50), change", merged.Details, StringComparison.Ordinal);
    }

    private static int Red(string fill) => int.Parse(fill[4..].Split(',')[0], System.Globalization.CultureInfo.InvariantCulture);

    private static int Blue(string fill) => int.Parse(fill[..^1].Split(',')[2], System.Globalization.CultureInfo.InvariantCulture);

    private static byte[] Write(Profile before, Profile after, DiffOptions? options = null)
    {
        using var output = new MemoryStream();
        DiffFlameGraphWriter.Write(before, after, output, options);
        return output.ToArray();
    }
}
