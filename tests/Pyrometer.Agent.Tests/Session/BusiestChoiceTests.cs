using Pyrometer.Agent.Session;

namespace Pyrometer.Agent.Tests.Session;

public sealed class BusiestChoiceTests
{
    private static readonly TimeSpan Window = TimeSpan.FromMilliseconds(250);

    [Fact]
    public void Choose_TwoProcesses_TakesTheBusyOne_SayingWhyAndNamingTheOther()
    {
        Candidate[] candidates = [new(10, 1, 100, "python idle.py", 0, 5), new(20, 1, 200, "python busy.py", 20, 900)];

        var (pid, why) = BusiestChoice.Choose(candidates, trees: false, Window, "--pid auto");

        Assert.Equal(20, pid);
        Assert.Equal("--pid auto chose PID 20 (python busy.py): the busiest, 80% CPU over the last 0.25 s; not chosen: PID 10 (python idle.py) 0%", why);
    }

    [Fact]
    public void Choose_WithoutS_AWorkerBusierThanItsMaster_IsTheWorker()
    {
        Candidate[] candidates = [new(10, 1, 100, "gunicorn: master", 0, 50), new(11, 10, 110, "gunicorn: worker", 5, 60), new(12, 10, 111, "gunicorn: worker", 9, 60)];

        var (pid, _) = BusiestChoice.Choose(candidates, trees: false, Window, "--pid auto");

        Assert.Equal(12, pid);
    }

    [Fact]
    public void Choose_WithS_TreesCompete_AndTheBusiestTreesRootIsChosen()
    {
        // A busy tree under an idle master (10) against one busier single process (30).
        Candidate[] candidates =
        [
            new(10, 1, 100, "gunicorn: master", 0, 50), new(11, 10, 110, "gunicorn: worker", 8, 60), new(12, 10, 111, "gunicorn: worker", 8, 60),
            new(30, 1, 90, "python batch.py", 12, 500),
        ];

        var (pid, why) = BusiestChoice.Choose(candidates, trees: true, Window, "--pid auto");

        Assert.Equal(10, pid);
        Assert.StartsWith("--pid auto chose PID 10 (gunicorn: master) and its 2 descendant(s): the busiest, 64% CPU", why, StringComparison.Ordinal);
        Assert.EndsWith("not chosen: PID 30 (python batch.py) 48%", why, StringComparison.Ordinal);
    }

    [Fact]
    public void Choose_AllIdle_TakesTheOneThatUsedMostSinceItStarted()
    {
        Candidate[] candidates = [new(10, 1, 100, "a", 0, 5), new(20, 1, 200, "b", 0, 70)];

        var (pid, why) = BusiestChoice.Choose(candidates, trees: false, Window, "--match /x/");

        Assert.Equal(20, pid);
        Assert.Contains("none used CPU just now", why, StringComparison.Ordinal);
    }

    [Fact]
    public void Choose_NeverRan_TakesTheOldest()
    {
        Candidate[] candidates = [new(20, 1, 200, "b", 0, 0), new(10, 1, 300, "a", 0, 0)];

        Assert.Equal(20, BusiestChoice.Choose(candidates, trees: false, Window, "--pid auto").Pid);
    }

    [Fact]
    public void Choose_ManyOthers_NamesThreeAndCountsTheRest()
    {
        var candidates = Enumerable.Range(1, 6).Select(i => new Candidate(i, 0, (ulong)i, "p" + i, i, i)).ToList();

        var (_, why) = BusiestChoice.Choose(candidates, trees: false, Window, "--pid auto");

        Assert.EndsWith("and 2 more", why, StringComparison.Ordinal);
    }

    [Fact]
    public void Choose_OneCandidate_SaysItIsTheOnly()
    {
        var (pid, why) = BusiestChoice.Choose([new(7, 1, 1, "python app.py", 0, 0)], trees: true, TimeSpan.Zero, "--pid auto");

        Assert.Equal(7, pid);
        Assert.Equal("--pid auto chose PID 7 (python app.py): the only candidate", why);
    }
}
