using System.Text;
using Pyrometer.Rendering.FlameGraph;
using Pyrometer.Rendering.Model;
using Pyrometer.Rendering.Tests.Support;

namespace Pyrometer.Rendering.Tests.FlameGraph;

public sealed class FlameGraphWriterTests
{
    [Fact]
    public void Write_Profile_IsXmlWithTitleCountsAndScript()
    {
        var profile = RandomProfiles.Create(7, 200).Profile;

        var svg = Write(profile);
        var document = SvgFrames.Parse(svg);
        var text = Encoding.UTF8.GetString(svg);

        Assert.Equal("svg", document.Root!.Name.LocalName);
        Assert.Contains("Pyrometer: random", text, StringComparison.Ordinal);
        Assert.Contains($"{profile.TotalSamples:N0} samples, 3 missed, 1 unreadable", text, StringComparison.Ordinal);
        Assert.Contains("2 processes, Python 3.12.7 | 30 s at 100 Hz", text, StringComparison.Ordinal);
        Assert.Contains("function search(pattern)", text, StringComparison.Ordinal);
        Assert.DoesNotContain("http://", text.Replace("http://www.w3.org/2000/svg", "", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public void Write_SameProfileTwice_SameBytes()
    {
        var (_, first) = RandomProfiles.Create(11, 500);
        var (_, second) = RandomProfiles.Create(11, 500);

        Assert.Equal(Write(first), Write(second));
    }

    [Fact]
    public void Write_EmptyProfile_ValidSvgSayingNoSamples()
    {
        var svg = Write(Profile.Empty(ProfileMetadata.None));

        var document = SvgFrames.Parse(svg);
        Assert.Empty(SvgFrames.Boxes(document));
        Assert.Contains(document.Descendants(SvgFrames.Svg + "text"), t => t.Value == "no samples");
    }

    [Theory]
    [InlineData(1, 0.5)]
    [InlineData(2, 0.5)]
    [InlineData(3, 2)]
    [InlineData(4, 0)]
    [InlineData(5, 10)]
    public void Write_RandomProfile_ChildrenFitInParentsAndTotalsStayExact(int seed, double minFrameWidth)
    {
        var (stacks, profile) = RandomProfiles.Create(seed, 2000, functions: 200, maxDepth: 25);
        var options = new FlameGraphOptions { MinFrameWidth = minFrameWidth };

        var boxes = SvgFrames.Boxes(SvgFrames.Parse(Write(profile, options)));

        // Exact totals per call path from the raw stacks.
        var total = new Dictionary<string, long>(StringComparer.Ordinal);
        var self = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var (frames, count) in stacks)
        {
            var path = "all";
            total[path] = total.GetValueOrDefault(path) + count;
            foreach (var frame in frames)
            {
                path += ";" + frame.Text;
                total[path] = total.GetValueOrDefault(path) + count;
            }
            self[path] = self.GetValueOrDefault(path) + count;
        }

        var root = Assert.Single(boxes, b => b.Depth == 0);
        Assert.Equal(profile.TotalSamples, root.Width);
        // Boxes of one depth never overlap, so per depth they sort by X and parents are found by binary search.
        var byDepth = boxes.GroupBy(b => b.Depth).ToDictionary(g => g.Key, g => g.Where(b => b.Width > 0).OrderBy(b => b.X).ToList());
        var paths = new Dictionary<SvgFrames.Box, string> { [root] = "all" };
        var childSums = new Dictionary<SvgFrames.Box, long>();
        foreach (var box in boxes.Where(b => b.Depth > 0).OrderBy(b => b.Depth))
        {
            var parent = Containing(byDepth[box.Depth - 1], box);
            Assert.False(parent.Merged, $"{box.Name} sits on a merged box");
            paths[box] = paths[parent] + ";" + box.Name;
            childSums[parent] = childSums.GetValueOrDefault(parent) + box.Width;
        }
        foreach (var box in boxes.Where(b => !b.Merged))
        {
            var children = childSums.GetValueOrDefault(box);
            Assert.True(children <= box.Width, $"children of {paths[box]} are wider than it");
            Assert.Equal(total[paths[box]], box.Width);
            Assert.Equal(total[paths[box]] - self.GetValueOrDefault(paths[box]), children);
        }
        if (minFrameWidth == 0)
        {
            Assert.DoesNotContain(boxes, b => b.Merged);
        }
    }

    [Fact]
    public void Write_ManyNarrowStacks_MergesThemIntoFewBoxes()
    {
        var builder = new ProfileBuilder();
        var root = builder.InternPython("main", "app.py", 1);
        var big = builder.InternPython("big", "app.py", 2);
        builder.AddSample([root, big], 100_000);
        for (var i = 0; i < 5000; i++)
        {
            builder.AddSample([root, builder.InternPython($"tiny_{i}", "app.py", 3)]);
        }

        var boxes = SvgFrames.Boxes(SvgFrames.Parse(Write(builder.Build(ProfileMetadata.None))));

        var merged = Assert.Single(boxes, b => b.Merged);
        Assert.Equal("[5000 narrow frames]", merged.Name);
        Assert.Equal(5000, merged.Width);
        Assert.Equal(4, boxes.Count);   // all, main, big, merged
    }

    [Fact]
    public void Write_VeryDeepStack_DrawsEveryLevel()
    {
        var builder = new ProfileBuilder();
        var stack = Enumerable.Range(0, 3000).Select(i => builder.InternPython($"recurse_{i % 3}", "deep.py", 1 + (i % 3))).ToArray();
        builder.AddSample(stack, 2);

        var boxes = SvgFrames.Boxes(SvgFrames.Parse(Write(builder.Build(ProfileMetadata.None))));

        Assert.Equal(3001, boxes.Count);
        Assert.Equal(3000, boxes.Max(b => b.Depth));
        Assert.All(boxes, b => Assert.Equal(2, b.Width));
    }

    [Fact]
    public void Write_Orientation_FlameGrowsUpIcicleGrowsDown()
    {
        var profile = RandomProfiles.FromFolded(ProfileMetadata.None, ("a (x.py:1);b (x.py:2)", 1));

        double RootY(FlameOrientation orientation) => YOf(Write(profile, new FlameGraphOptions { Orientation = orientation }), "all");
        double LeafY(FlameOrientation orientation) => YOf(Write(profile, new FlameGraphOptions { Orientation = orientation }), "b (x.py:2)");

        Assert.True(RootY(FlameOrientation.Flame) > LeafY(FlameOrientation.Flame));
        Assert.True(RootY(FlameOrientation.Icicle) < LeafY(FlameOrientation.Icicle));
    }

    [Fact]
    public void Write_NoScriptOption_LeavesScriptOut()
    {
        var profile = RandomProfiles.Create(3, 20).Profile;

        var text = Encoding.UTF8.GetString(Write(profile, new FlameGraphOptions { IncludeScript = false }));

        Assert.DoesNotContain("<script", text, StringComparison.Ordinal);
        Assert.DoesNotContain("onload", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Write_BadOptions_ThrowsNamingTheField()
    {
        var profile = RandomProfiles.Create(3, 20).Profile;

        var error = Assert.Throws<ArgumentException>(() => Write(profile, new FlameGraphOptions { Width = 10 }));

        Assert.Contains("FlameGraphOptions.Width", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => Write(profile, new FlameGraphOptions { MinFrameWidth = double.NaN }));
        Assert.Throws<ArgumentException>(() => Write(profile, new FlameGraphOptions { Orientation = (FlameOrientation)7 }));
    }

    [Theory]
    [InlineData(true, 980)]
    [InlineData(false, 1180)]
    public void Write_LongTitle_CutToTheRoomBesideTheControls(bool script, int room)
    {
        var target = string.Concat(Enumerable.Repeat("checkout-api-", 40));
        var profile = RandomProfiles.FromFolded(new ProfileMetadata { Target = target }, ("main (app.py:1)", 1));
        using var output = new MemoryStream();

        FlameGraphWriter.Write(profile, output, new FlameGraphOptions { IncludeScript = script });

        var title = System.Xml.Linq.XDocument.Parse(Encoding.UTF8.GetString(output.ToArray())).Descendants()
            .Single(e => (string?)e.Attribute("id") == "title");
        Assert.Equal(room, (int)title.Attribute("data-room")!);
        Assert.Equal("Pyrometer: " + target, (string?)title.Attribute("data-full"));
        Assert.EndsWith("..", title.Value, StringComparison.Ordinal);
        Assert.Equal(Math.Floor(room / (17 * 0.68)), title.Value.Length);
    }

    private static SvgFrames.Box Containing(List<SvgFrames.Box> level, SvgFrames.Box child)
    {
        int lo = 0, hi = level.Count - 1, found = -1;
        while (lo <= hi)
        {
            var mid = (lo + hi) / 2;
            if (level[mid].X <= child.X)
            {
                found = mid;
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }
        Assert.True(found >= 0, $"{child.Name} has no parent");
        var parent = level[found];
        Assert.True(child.X + child.Width <= parent.X + parent.Width, $"{child.Name} sticks out of {parent.Name}");
        return parent;
    }

    private static double YOf(byte[] svg, string name)
    {
        var group = SvgFrames.Parse(svg).Descendants(SvgFrames.Svg + "g")
            .First(g => g.Element(SvgFrames.Svg + "title")?.Value.StartsWith(name + "\n", StringComparison.Ordinal) == true);
        return double.Parse((string)group.Element(SvgFrames.Svg + "rect")!.Attribute("y")!, System.Globalization.CultureInfo.InvariantCulture);
    }

    internal static byte[] Write(Profile profile, FlameGraphOptions? options = null)
    {
        using var output = new MemoryStream();
        FlameGraphWriter.Write(profile, output, options);
        return output.ToArray();
    }
}
