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

        var slow = boxes.Single(b => b.Name == "slow (x.py)");
        var fast = boxes.Single(b => b.Name == "fast (x.py)");
        var added = boxes.Single(b => b.Name == "new (x.py)");
        Assert.Equal("before 50.00% (50), after 40.00% (80), change -10.00 percentage points", slow.Details);
        Assert.StartsWith("rgb(", fast.Fill, StringComparison.Ordinal);
        Assert.True(Blue(fast.Fill) > Red(fast.Fill), "fast shrank from 50% to 10%: blue");
        Assert.True(Red(added.Fill) > Blue(added.Fill), "new grew from 0% to 50%: red");
        Assert.Equal("before 0.00% (0), after 50.00% (100), change +50.00 percentage points", added.Details);
        Assert.Equal(FrameColors.Neutral, boxes.Single(b => b.Name == "main (x.py)").Fill);
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

    [Fact]
    public void Write_BeforeShape_SameChangesOnSharedPaths_RemovedPathOnlyThere()
    {
        var before = RandomProfiles.FromFolded(ProfileMetadata.None, ("main (x.py:1);slow (x.py:2)", 50), ("main (x.py:1);gone (x.py:3)", 50));
        var after = RandomProfiles.FromFolded(ProfileMetadata.None, ("main (x.py:1);slow (x.py:2)", 80), ("main (x.py:1);new (x.py:4)", 20));

        var afterBoxes = SvgFrames.Boxes(SvgFrames.Parse(Write(before, after)));
        var beforeBoxes = SvgFrames.Boxes(SvgFrames.Parse(Write(before, after, new DiffOptions { Shape = DiffShape.Before })));

        Assert.Equal(afterBoxes.Single(b => b.Name == "slow (x.py)").Details, beforeBoxes.Single(b => b.Name == "slow (x.py)").Details);
        Assert.DoesNotContain(beforeBoxes, b => b.Name == "new (x.py)");
        var gone = beforeBoxes.Single(b => b.Name == "gone (x.py)");
        Assert.Equal("before 50.00% (50), after 0.00% (0), change -50.00 percentage points", gone.Details);
        Assert.True(Blue(gone.Fill) > Red(gone.Fill), "gone went from 50% to nothing: blue");
        Assert.Equal(50, gone.Width);
    }

    [Fact]
    public void Write_ByLine_KeepsLinesApart()
    {
        var before = RandomProfiles.FromFolded(ProfileMetadata.None, ("main (x.py:1);work (x.py:2)", 10));
        var after = RandomProfiles.FromFolded(ProfileMetadata.None, ("main (x.py:1);work (x.py:3)", 10));

        var byLine = SvgFrames.Boxes(SvgFrames.Parse(Write(before, after, new DiffOptions { ByLine = true })));
        var byFunction = SvgFrames.Boxes(SvgFrames.Parse(Write(before, after)));

        Assert.Equal("before 0.00% (0), after 100.00% (10), change +100.00 percentage points", byLine.Single(b => b.Name == "work (x.py:3)").Details);
        Assert.Equal("before 100.00% (10), after 100.00% (10), change 0.00 percentage points", byFunction.Single(b => b.Name == "work (x.py)").Details);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Write_ChangesTable_BetweenSubtitleAndFrames_ClearOfTheControls(bool icicle)
    {
        var orientation = icicle ? FlameOrientation.Icicle : FlameOrientation.Flame;
        var before = RandomProfiles.FromFolded(ProfileMetadata.None, ("main (x.py:1);slow (x.py:2)", 50), ("main (x.py:1);gone (x.py:3)", 50));
        var after = RandomProfiles.FromFolded(ProfileMetadata.None, ("main (x.py:1);slow (x.py:2)", 80), ("main (x.py:1);new (x.py:4)", 20));
        var options = new DiffOptions { FlameGraph = new FlameGraphOptions { Orientation = orientation } };

        var svg = SvgFrames.Parse(Write(before, after, options));

        var table = svg.Descendants(SvgFrames.Svg + "g").Single(g => (string?)g.Attribute("id") == "changes");
        var rows = table.Elements(SvgFrames.Svg + "g").Select(g => g.Element(SvgFrames.Svg + "title")!.Value.Split('\n')[0]).ToList();
        Assert.Equal(["slow (x.py)", "new (x.py)", "gone (x.py)"], rows);   // +30, +20 on the left; -50 on the right
        var tableY = table.Descendants(SvgFrames.Svg + "text").Select(t => Y(t)).ToList();
        var controls = svg.Descendants(SvgFrames.Svg + "text").Where(t => (string?)t.Attribute("id") is "title" or "subtitle" or "reset" or "search").Select(Y).ToList();
        var frameTops = svg.Descendants(SvgFrames.Svg + "g").Single(g => (string?)g.Attribute("id") == "frames").Descendants(SvgFrames.Svg + "rect").Select(Y).ToList();
        Assert.True(tableY.Min() - 11 > controls.Max(), "the table's first line sits below the title, subtitle and controls");
        Assert.True(tableY.Max() < frameTops.Min(), "the table's last line sits above the frames");

        var none = SvgFrames.Parse(Write(before, after, options with { TableRows = 0 }));
        Assert.DoesNotContain(none.Descendants(SvgFrames.Svg + "g"), g => (string?)g.Attribute("id") == "changes");
    }

    private static double Y(System.Xml.Linq.XElement element) =>
        double.Parse((string)element.Attribute("y")!, System.Globalization.CultureInfo.InvariantCulture);

    private static int Red(string fill) => int.Parse(fill[4..].Split(',')[0], System.Globalization.CultureInfo.InvariantCulture);

    private static int Blue(string fill) => int.Parse(fill[..^1].Split(',')[2], System.Globalization.CultureInfo.InvariantCulture);

    private static byte[] Write(Profile before, Profile after, DiffOptions? options = null)
    {
        using var output = new MemoryStream();
        DiffFlameGraphWriter.Write(before, after, output, options);
        return output.ToArray();
    }
}
