using Pyrometer.Agent.Cli;
using Pyrometer.Agent.Commands;
using Pyrometer.Agent.Session;
using Pyrometer.Rendering.Model;
using Pyrometer.Sampling.Sampling;

namespace Pyrometer.Agent.Tests.Commands;

public sealed class TopCommandTests
{
    [Fact]
    public void Render_Profile_ListsFunctionsByOwnShareWithTotalsAndTimes()
    {
        var table = new TopTable(rate: 10);
        table.Add(Window());

        var screen = TopCommand.Render(table, TopSort.Own, new SamplerStats { Samples = 10 }, processes: 1, Settings(TopSort.Own), hint: "", interactive: false);

        var rows = Rows(screen);
        Assert.StartsWith("  60.0    90.0    0.60s      0.90s  work (app.py:12)", rows[0], StringComparison.Ordinal);
        Assert.StartsWith("  30.0    30.0    0.30s      0.30s  parse (lib.py:7)", rows[1], StringComparison.Ordinal);
        Assert.StartsWith("  10.0   100.0    0.10s      1.00s  main (app.py:30)", rows[2], StringComparison.Ordinal);
        Assert.Contains("10 samples in the last 1 s", screen, StringComparison.Ordinal);
        Assert.Contains("cpu mode, sorted by %Own", screen, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("total", "main", "work", "parse")]
    [InlineData("own-time", "work", "parse", "main")]
    [InlineData("total-time", "main", "work", "parse")]
    [InlineData("name", "main", "parse", "work")]
    public void Render_SortKey_OrdersTheRows(string key, string first, string second, string third)
    {
        var sort = TopOptions.ParseSort(key, []);
        var table = new TopTable(rate: 10);
        table.Add(Window());

        var rows = Rows(table.Render(sort, 25));

        Assert.Equal([first, second, third], rows.Select(r => r.Split(' ', StringSplitOptions.RemoveEmptyEntries)[4]));
    }

    [Fact]
    public void Times_AddUpOverIntervals_WhilePercentagesAreTheLastOnes()
    {
        var table = new TopTable(rate: 10);
        table.Add(Window());
        var builder = new ProfileBuilder();
        builder.AddSample([builder.InternPython("main", "app.py", 30)], 10);
        table.Add(builder.Build(ProfileMetadata.None));

        var rows = Rows(table.Render(TopSort.OwnTime, 25));

        Assert.StartsWith(" 100.0   100.0    1.10s      2.00s  main (app.py:30)", rows[0], StringComparison.Ordinal);
        Assert.StartsWith("   0.0     0.0    0.60s      0.90s  work (app.py:12)", rows[1], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData('1', "Own")]
    [InlineData('3', "OwnTime")]
    [InlineData('5', "Function")]
    public void SortFor_NumberKeys_PickTheColumnAtThatPosition(char key, string expected) =>
        Assert.Equal(expected, TopCommand.SortFor(key).ToString());

    [Fact]
    public void SortFor_OtherKeys_ChangeNothing() => Assert.Null(TopCommand.SortFor('x'));

    [Fact]
    public void Render_IdleWindowWithHint_ShowsIt()
    {
        var table = new TopTable(rate: 10);
        table.Add(new ProfileBuilder().Build(ProfileMetadata.None));

        var screen = TopCommand.Render(table, TopSort.Own, new SamplerStats(), 1, Settings(TopSort.Own), ChildrenHint.NoSamples(SamplingMode.Cpu, 4), interactive: true);

        Assert.Contains("no samples: no Python thread was running (the target was idle); it has 4 Python child processes: add -s (--subprocesses)", screen, StringComparison.Ordinal);
        Assert.Contains("1 %Own  2 %Total  3 OwnTime  4 TotalTime  5 Function", screen, StringComparison.Ordinal);
    }

    private static TopSettings Settings(TopSort sort) =>
        new(new TargetSelector(1, null, []), false, 10, TimeSpan.FromSeconds(1), 1, SamplingMode.Cpu, sort);

    private static Profile Window()
    {
        var builder = new ProfileBuilder();
        var main = builder.InternPython("main", "app.py", 30);
        var work = builder.InternPython("work", "app.py", 12);
        var parse = builder.InternPython("parse", "lib.py", 7);
        builder.AddSample([main, work], 6);
        builder.AddSample([main, work, parse], 3);
        builder.AddSample([main], 1);
        return builder.Build(ProfileMetadata.None);
    }

    private static List<string> Rows(string screen) =>
        screen.Split('\n').Where(l => l.Contains('(', StringComparison.Ordinal) && l.Contains(".py:", StringComparison.Ordinal)).ToList();
}
