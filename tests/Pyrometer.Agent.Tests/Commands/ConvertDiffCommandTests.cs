using System.Xml.Linq;
using Pyrometer.Agent.Commands;
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
        Assert.Contains("slow (app.py:5)", svg, StringComparison.Ordinal);
        Assert.Contains("fast (app.py:9)", svg, StringComparison.Ordinal);
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
        Assert.Contains("slow (app.py:5)\nbefore 75.00% (30), after 25.00% (10)", svg, StringComparison.Ordinal);
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

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
