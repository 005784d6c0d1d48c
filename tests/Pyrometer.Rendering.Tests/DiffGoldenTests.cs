using System.Text;
using Pyrometer.Rendering.Comparison;
using Pyrometer.Rendering.FlameGraph;
using Pyrometer.Rendering.Folded;
using Pyrometer.Rendering.Model;
using Pyrometer.Rendering.Tests.Support;

namespace Pyrometer.Rendering.Tests;

/// <summary>
/// Golden/&lt;case&gt;/before.folded and after.folded (two runs: other pids, other lengths) compared as
/// <c>pyrometer diff</c> does, to both flame graphs, the JSON table and the text table.
/// </summary>
public sealed class DiffGoldenTests
{
    public static TheoryData<string> Cases => ["diff-line-shift", "diff-removed"];

    [Theory]
    [MemberData(nameof(Cases))]
    public void Diff_GoldenPair_MatchesExpectedFiles(string caseName)
    {
        var (before, after) = Load(caseName);
        var options = new DiffOptions { FlameGraph = new FlameGraphOptions { IncludeScript = false } };

        GoldenFile.AssertMatches(caseName, "expected.after.svg", SvgFrames.ForGolden(Write(before, after, options)));
        GoldenFile.AssertMatches(caseName, "expected.before.svg", SvgFrames.ForGolden(Write(before, after, options with { Shape = DiffShape.Before })));
        var changes = ProfileComparison.Compare(before, after);
        using var json = new MemoryStream();
        ChangesJsonWriter.Write(changes, json);
        GoldenFile.AssertMatches(caseName, "expected.changes.json", Encoding.UTF8.GetString(json.ToArray()));
        GoldenFile.AssertMatches(caseName, "expected.table.txt", ChangesTable.Render(changes));
    }

    [Fact]
    public void Diff_OneLineAddedAboveEverything_NoFalseGrowth()
    {
        var (before, after) = Load("diff-line-shift");

        foreach (var shape in (DiffShape[])[DiffShape.After, DiffShape.Before])
        {
            var boxes = SvgFrames.Boxes(SvgFrames.Parse(Write(before, after, new DiffOptions { Shape = shape })));
            Assert.NotEmpty(boxes);
            Assert.All(boxes, b => Assert.Equal(FrameColors.Neutral, b.Fill));
        }
        var changes = ProfileComparison.Compare(before, after);
        Assert.Empty(changes.Grew);
        Assert.Empty(changes.Shrank);
    }

    [Fact]
    public void Diff_OneLineAddedAboveEverything_ByLine_LooksLikeEverythingChanged()
    {
        // The old matching, kept behind --by-line: this is the false growth the default avoids.
        var (before, after) = Load("diff-line-shift");

        var boxes = SvgFrames.Boxes(SvgFrames.Parse(Write(before, after, new DiffOptions { ByLine = true })));

        Assert.Equal(FrameColors.Neutral, boxes.Single(b => b.Name == "thread * MainThread").Fill);
        Assert.All(boxes.Where(b => b.Name.Contains("(app.py:", StringComparison.Ordinal)), b => Assert.NotEqual(FrameColors.Neutral, b.Fill));
    }

    [Fact]
    public void Diff_FunctionRemovedInAfter_ShowsBlueInBeforeShapeAndFirstInShrank()
    {
        var (before, after) = Load("diff-removed");

        var afterBoxes = SvgFrames.Boxes(SvgFrames.Parse(Write(before, after)));
        var beforeBoxes = SvgFrames.Boxes(SvgFrames.Parse(Write(before, after, new DiffOptions { Shape = DiffShape.Before })));

        Assert.DoesNotContain(afterBoxes, b => b.Name.StartsWith("slow_lookup", StringComparison.Ordinal));
        var removed = beforeBoxes.Single(b => b.Name == "slow_lookup (app.py)");
        Assert.Equal("before 30.00% (30), after 0.00% (0), change -30.00 percentage points", removed.Details);
        Assert.Equal(FrameColors.ForChange(-1, 1), removed.Fill);   // the largest change: the strongest blue
        var shrank = ProfileComparison.Compare(before, after).Shrank;
        Assert.Equal("slow_lookup", shrank[0].Function);
        Assert.Equal(-30, shrank[0].TotalChange, 9);
        Assert.Equal(-5, shrank[0].SelfChange, 9);   // most of its time was in the <listcomp> it called
    }

    internal static (Profile Before, Profile After) Load(string caseName) =>
        (IdFolding.WithoutIds(Read(caseName, "before")), IdFolding.WithoutIds(Read(caseName, "after")));

    private static Profile Read(string caseName, string side)
    {
        using var input = File.OpenRead(Path.Combine(TestPaths.Golden(caseName), side + ".folded"));
        return FoldedReader.Read(input, new ProfileMetadata { Target = side });
    }

    private static byte[] Write(Profile before, Profile after, DiffOptions? options = null)
    {
        using var output = new MemoryStream();
        DiffFlameGraphWriter.Write(before, after, output, options);
        return output.ToArray();
    }
}
