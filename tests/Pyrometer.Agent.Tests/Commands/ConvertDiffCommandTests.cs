using System.Text.Json;
using System.Xml.Linq;
using Pyrometer.Agent.Commands;
using Pyrometer.Agent.Tests.Integration;
using Pyrometer.Rendering.Comparison;
using Pyrometer.Rendering.Formats;

namespace Pyrometer.Agent.Tests.Commands;

public sealed class ConvertDiffCommandTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("pyrometer-convert-").FullName;

    private string Write(string name, string text)
    {
        var path = Path.Combine(_directory, name);
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public async Task Convert_FoldedToPprofAndBack_KeepsEveryStack()
    {
        var folded = Write("in.folded", "main (app.py:3);work (app.py:9) 7\nmain (app.py:3) 2\n");
        var pprof = Path.Combine(_directory, "out.pb.gz");
        var back = Path.Combine(_directory, "back.folded");

        Assert.Equal(0, await ConvertCommand.RunAsync(folded, "pprof", pprof, CancellationToken.None));
        Assert.Equal(0, await ConvertCommand.RunAsync(pprof, "folded", back, CancellationToken.None));

        var profile = ProfileLoader.LoadFile(back);
        Assert.Equal(9, profile.TotalSamples);
        Assert.Contains("work (app.py:9)", await File.ReadAllTextAsync(back), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Convert_IcicleAndWidthOnTheCommandLine_DrawTheGraphThatWay(bool icicle)
    {
        var folded = Write("in.folded", "main (app.py:3);work (app.py:9) 7\nmain (app.py:3) 2\n");
        var svg = Path.Combine(_directory, "out.svg");

        List<string> args = ["convert", folded, "-f", "flamegraph", "-o", svg, "--width", "800"];
        if (icicle)
        {
            args.Add("--icicle");
        }

        Assert.Equal(0, await Pyrometer.Agent.Cli.PyrometerCommandLine.RunAsync([.. args]));

        var document = XDocument.Load(svg);
        XNamespace ns = "http://www.w3.org/2000/svg";
        Assert.Equal("800", document.Root!.Attribute("width")!.Value);
        double Y(string depth) => double.Parse(
            document.Descendants(ns + "g").First(g => (string?)g.Attribute("data-d") == depth).Element(ns + "rect")!.Attribute("y")!.Value,
            System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(icicle, Y("0") < Y("1"));   // icicle: the root on top
    }

    [Fact]
    public async Task Convert_WidthOutOfRange_ExitsWith2()
    {
        var folded = Write("in.folded", "a 1\n");

        Assert.Equal(2, await Pyrometer.Agent.Cli.PyrometerCommandLine.RunAsync(["convert", folded, "-f", "flamegraph", "-o", Path.Combine(_directory, "w.svg"), "--width", "50"]));
    }

    [Fact]
    public async Task Convert_UnknownFormatOrBadInput_ExitsWith2()
    {
        var folded = Write("in.folded", "a 1\n");

        Assert.Equal(2, await ConvertCommand.RunAsync(folded, "png", Path.Combine(_directory, "x"), CancellationToken.None));
        Assert.Equal(2, await ConvertCommand.RunAsync(Write("bad.folded", "no count here\n"), "flamegraph", Path.Combine(_directory, "y.svg"), CancellationToken.None));
        Assert.Equal(2, await ConvertCommand.RunAsync(Path.Combine(_directory, "missing"), "flamegraph", Path.Combine(_directory, "z.svg"), CancellationToken.None));
    }

    [Fact]
    public async Task Diff_TwoProfiles_WritesAnSvgShapedLikeAfter()
    {
        var before = Write("before.folded", "main (app.py:1);slow (app.py:5) 80\nmain (app.py:1);fast (app.py:9) 20\n");
        var after = Write("after.folded", "main (app.py:1);slow (app.py:5) 20\nmain (app.py:1);fast (app.py:9) 80\n");
        var output = Path.Combine(_directory, "diff.svg");

        Assert.Equal(0, await DiffCommand.RunAsync(before, after, output, CancellationToken.None));

        var svg = XDocument.Load(output).ToString();
        Assert.Contains("slow (app.py)", svg, StringComparison.Ordinal);
        Assert.Contains("fast (app.py)", svg, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Diff_ProfilesOfTwoRuns_MatchesWorkersByCommandLine_NotByPid()
    {
        var before = Write("run1.folded", "pid 7 gunicorn: worker;serve (app.py:1);slow (app.py:5) 30\npid 8 gunicorn: worker;serve (app.py:1);fast (app.py:9) 10\n");
        var after = Write("run2.folded", "pid 41 gunicorn: worker;serve (app.py:1);slow (app.py:5) 10\npid 42 gunicorn: worker;serve (app.py:1);fast (app.py:9) 30\n");
        var output = Path.Combine(_directory, "runs.svg");

        Assert.Equal(0, await DiffCommand.RunAsync(before, after, output, CancellationToken.None));

        var svg = await File.ReadAllTextAsync(output);
        Assert.Contains("pid * gunicorn: worker", svg, StringComparison.Ordinal);
        Assert.DoesNotContain("pid 41", svg, StringComparison.Ordinal);
        // slow fell from 75 % to 25 % of the samples: its box says so, which it cannot when pids keep the runs apart
        Assert.Contains("slow (app.py)\nbefore 75.00% (30), after 25.00% (10)", svg, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Diff_ByPid_KeepsProcessesApart()
    {
        var before = Write("p1.folded", "pid 7 w;slow (app.py:5) 3\n");
        var after = Write("p2.folded", "pid 41 w;slow (app.py:5) 1\n");
        var output = Path.Combine(_directory, "bypid.svg");

        Assert.Equal(0, await DiffCommand.RunAsync(before, after, output, CancellationToken.None, byPid: true));

        Assert.Contains("pid 41 w", await File.ReadAllTextAsync(output), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Diff_LineShiftAndRemovedFunction_WritesBothShapesAndTheTable()
    {
        // AFTER: one line added at the top of app.py (every line moves by one) and the hot slow_lookup removed.
        var before = Write("before.folded", "main (app.py:1);handle (app.py:10);slow_lookup (app.py:20) 60\nmain (app.py:1);handle (app.py:11);query (db.py:5) 40\n");
        var after = Write("after.folded", "main (app.py:2);handle (app.py:12);query (db.py:5) 40\n");
        var output = Path.Combine(_directory, "deploy.svg");

        Assert.Equal(0, await DiffCommand.RunAsync(before, after, output, CancellationToken.None));

        var afterBoxes = FrameTitles(output);
        var beforeBoxes = FrameTitles(Path.Combine(_directory, "deploy.before.svg"));
        Assert.DoesNotContain(afterBoxes, t => t.StartsWith("slow_lookup", StringComparison.Ordinal));
        Assert.Contains("slow_lookup (app.py)\nbefore 60.00% (60), after 0.00% (0), change -60.00 percentage points", beforeBoxes);
        Assert.Contains("handle (app.py)\nbefore 100.00% (100), after 100.00% (40), change 0.00 percentage points", afterBoxes);

        using var json = JsonDocument.Parse(await File.ReadAllBytesAsync(Path.Combine(_directory, "deploy.changes.json")));
        Assert.Equal("function", json.RootElement.GetProperty("matchedBy").GetString());
        var grew = json.RootElement.GetProperty("grew").EnumerateArray().ToList();
        var shrank = json.RootElement.GetProperty("shrank").EnumerateArray().ToList();
        Assert.Equal("query", Assert.Single(grew).GetProperty("function").GetString());
        Assert.Equal(60, grew[0].GetProperty("self").GetProperty("change").GetDouble());
        Assert.Equal("slow_lookup", Assert.Single(shrank).GetProperty("function").GetString());
        Assert.Equal(-60, shrank[0].GetProperty("total").GetProperty("change").GetDouble());
    }

    [Fact]
    public async Task Diff_ByLine_MatchesFramesByLineAsBefore()
    {
        var before = Write("l1.folded", "main (app.py:1);work (app.py:5) 10\n");
        var after = Write("l2.folded", "main (app.py:2);work (app.py:6) 10\n");
        var output = Path.Combine(_directory, "lines.svg");

        Assert.Equal(0, await DiffCommand.RunAsync(before, after, output, CancellationToken.None, byLine: true));

        Assert.Contains("work (app.py:6)\nbefore 0.00% (0), after 100.00% (10)", await File.ReadAllTextAsync(output), StringComparison.Ordinal);
        Assert.Contains("work (app.py:5)\nbefore 100.00% (10), after 0.00% (0)", await File.ReadAllTextAsync(Path.Combine(_directory, "lines.before.svg")), StringComparison.Ordinal);
        using var json = JsonDocument.Parse(await File.ReadAllBytesAsync(Path.Combine(_directory, "lines.changes.json")));
        Assert.Equal("line", json.RootElement.GetProperty("matchedBy").GetString());
        Assert.Empty(json.RootElement.GetProperty("grew").EnumerateArray());   // the table is by function either way
    }

    [Fact]
    public async Task Diff_TheBinary_PrintsTheTableAfterWriting()
    {
        var before = Write("b.folded", "main (app.py:1);slow (app.py:5) 80\nmain (app.py:1);fast (app.py:9) 20\n");
        var after = Write("a.folded", "main (app.py:1);slow (app.py:5) 20\nmain (app.py:1);fast (app.py:9) 80\n");
        var output = Path.Combine(_directory, "cli.svg");

        using var agent = AgentProcess.Start(["diff", before, after, "-o", output]);
        var (exitCode, text) = await agent.WaitAsync();

        Assert.Equal(0, exitCode);
        var lines = text.ReplaceLineEndings("\n").Split('\n');
        Assert.StartsWith($"pyrometer: wrote {output} (AFTER's shape, red: grew), {Path.Combine(_directory, "cli.before.svg")} (BEFORE's shape", lines[0], StringComparison.Ordinal);
        Assert.Equal(
            [
                "Grew most:",
                ChangesTable.Header,
                "   +60.00    +60.00   20.00 →  80.00   20.00 →  80.00  fast (app.py)",
                "Shrank most:",
                ChangesTable.Header,
                "   -60.00    -60.00   80.00 →  20.00   80.00 →  20.00  slow (app.py)",
            ],
            lines[3..9]);
        Assert.True(File.Exists(Path.Combine(_directory, "cli.changes.json")));
    }

    [Theory]
    [InlineData("diff.svg", "diff.before.svg", "diff.changes.json")]
    [InlineData("out/Deploy.SVG", "out/Deploy.before.svg", "out/Deploy.changes.json")]
    [InlineData("plot", "plot.before.svg", "plot.changes.json")]
    public void CompanionPaths_BesideTheOutput(string output, string beforeSvg, string changes) =>
        Assert.Equal((beforeSvg, changes), DiffCommand.CompanionPaths(output));

    /// <summary>The tooltips of the flame graph's boxes (not of the changes table above them).</summary>
    private static List<string> FrameTitles(string svg)
    {
        XNamespace ns = "http://www.w3.org/2000/svg";
        return XDocument.Load(svg).Descendants(ns + "g").Single(g => (string?)g.Attribute("id") == "frames")
            .Elements(ns + "g").Select(g => g.Element(ns + "title")!.Value).ToList();
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
