using Pyrometer.Sampling.Sampling;
using Pyrometer.Sampling.Target;

namespace Pyrometer.Sampling.Tests.Sampling;

public sealed class ProcessWatcherTests
{
    private readonly FakeProcessTable _table = new();

    [Fact]
    public void Scan_WorkerTree_AttachesRootAndEveryDescendant()
    {
        _table.Add(10, 1);
        _table.Add(11, 10);
        _table.Add(12, 10);
        _table.Add(13, 12);
        var probe = new FakeProbe(_table);
        using var watcher = new ProcessWatcher(10, subprocesses: true, probe, _table);

        watcher.Scan();

        Assert.Equal([10, 11, 12, 13], watcher.Current.Select(p => p.ProcessId).Order());
        Assert.False(watcher.RootExited);
    }

    [Fact]
    public void Scan_WithoutSubprocesses_AttachesOnlyTheRoot()
    {
        _table.Add(10, 1);
        _table.Add(11, 10);
        using var watcher = new ProcessWatcher(10, subprocesses: false, new FakeProbe(_table), _table);

        watcher.Scan();

        Assert.Equal([10], watcher.Current.Select(p => p.ProcessId));
    }

    [Fact]
    public void Scan_WorkerReplaced_RetiresOldAndAttachesNew()
    {
        _table.Add(10, 1);
        _table.Add(11, 10);
        var probe = new FakeProbe(_table);
        using var watcher = new ProcessWatcher(10, subprocesses: true, probe, _table);
        watcher.Scan();
        var old = probe.Attached.Single(p => p.ProcessId == 11);

        _table.Remove(11);
        _table.Add(14, 10);
        watcher.Scan();
        watcher.DisposeRetired();

        Assert.Equal([10, 14], watcher.Current.Select(p => p.ProcessId).Order());
        Assert.True(old.Disposed);
    }

    [Fact]
    public void Scan_PidReusedWithNewStartTime_TreatsItAsANewProcess()
    {
        _table.Add(10, 1);
        _table.Add(11, 10, start: 500);
        var probe = new FakeProbe(_table);
        using var watcher = new ProcessWatcher(10, subprocesses: true, probe, _table);
        watcher.Scan();
        var first = probe.Attached.Single(p => p.ProcessId == 11);

        _table.Add(11, 10, start: 900);
        watcher.Scan();
        watcher.DisposeRetired();

        var current = watcher.Current.Single(p => p.ProcessId == 11);
        Assert.Equal(900UL, current.StartTime);
        Assert.True(first.Disposed);
    }

    [Fact]
    public void Scan_ShellThatLaterExecsPython_IsReprobedAndAttached()
    {
        _table.Add(10, 1);
        _table.Add(11, 10, exe: "/bin/bash");
        var probe = new FakeProbe(_table);
        using var watcher = new ProcessWatcher(10, subprocesses: true, probe, _table);
        watcher.Scan();
        Assert.DoesNotContain(watcher.Current, p => p.ProcessId == 11);

        _table.Exec(11, "/usr/bin/python3.11");
        watcher.Scan();

        Assert.Contains(watcher.Current, p => p.ProcessId == 11);
    }

    [Fact]
    public void Scan_NonPythonChildThatNeverExecs_StopsBeingProbedAfterTheYoungRetries()
    {
        _table.Add(10, 1);
        _table.Add(11, 10, exe: "/bin/sleep");
        var probe = new FakeProbe(_table);
        using var watcher = new ProcessWatcher(10, subprocesses: true, probe, _table);

        for (var i = 0; i < 200; i++)
        {
            watcher.Scan();
        }

        Assert.InRange(probe.Attempts.Count(pid => pid == 11), 1, ProcessWatcher.YoungRetries);
    }

    [Fact]
    public void Scan_RootNotPython_ReportsRootError()
    {
        _table.Add(10, 1, exe: "/bin/sleep");
        using var watcher = new ProcessWatcher(10, subprocesses: false, new FakeProbe(_table), _table);

        watcher.Scan();

        Assert.Empty(watcher.Current);
        Assert.Equal(TargetErrorKind.NotPython, watcher.RootError?.Kind);
    }

    [Fact]
    public void Scan_ProcessMarkedGone_IsRetiredAndNotReattached()
    {
        _table.Add(10, 1);
        var probe = new FakeProbe(_table);
        using var watcher = new ProcessWatcher(10, subprocesses: false, probe, _table);
        watcher.Scan();

        watcher.MarkGone(watcher.Current[0]);
        watcher.Scan();

        Assert.Empty(watcher.Current);
        Assert.Single(probe.Attempts);
    }

    [Fact]
    public void Poll_NotStartedInline_DoesNotScan()
    {
        _table.Add(10, 1);
        using var watcher = new ProcessWatcher(10, subprocesses: false, new FakeProbe(_table), _table);
        watcher.Scan();

        _table.Remove(10);
        watcher.MarkGone(watcher.Current[0]);
        watcher.Poll();

        Assert.False(watcher.RootExited);
        Assert.Single(watcher.Current);
    }

    [Fact]
    public void Poll_InlineBeforeTheIntervalWithNothingGone_DoesNotScan()
    {
        _table.Add(10, 1);
        using var watcher = new ProcessWatcher(10, subprocesses: false, new FakeProbe(_table), _table);
        watcher.Scan();
        watcher.StartInline(TimeSpan.FromHours(1));

        _table.Remove(10);
        watcher.Poll();

        Assert.False(watcher.RootExited);
    }

    [Fact]
    public void Poll_InlineWhenTheIntervalIsDue_Scans()
    {
        _table.Add(10, 1);
        using var watcher = new ProcessWatcher(10, subprocesses: false, new FakeProbe(_table), _table);
        watcher.Scan();
        watcher.StartInline(TimeSpan.Zero);

        _table.Remove(10);
        watcher.Poll();

        Assert.True(watcher.Finished);
    }

    [Fact]
    public void Poll_InlineProcessMarkedGone_ScansWithoutWaitingForTheInterval()
    {
        _table.Add(10, 1);
        using var watcher = new ProcessWatcher(10, subprocesses: false, new FakeProbe(_table), _table);
        watcher.Scan();
        watcher.StartInline(TimeSpan.FromHours(1));

        _table.Remove(10);
        watcher.MarkGone(watcher.Current[0]);
        watcher.Poll();

        Assert.True(watcher.Finished);
    }

    [Fact]
    public void Scan_RootExits_FinishesBecauseOrphansLeaveTheTree()
    {
        _table.Add(10, 1);
        _table.Add(11, 10);
        using var watcher = new ProcessWatcher(10, subprocesses: true, new FakeProbe(_table), _table);
        watcher.Scan();

        _table.Remove(10);
        watcher.Scan();

        Assert.True(watcher.RootExited);
        Assert.True(watcher.Finished);
        Assert.Empty(watcher.Current);
    }

    [Fact]
    public void Seen_ListsEveryProcessAttachedDuringTheRun()
    {
        _table.Add(10, 1);
        _table.Add(11, 10);
        using var watcher = new ProcessWatcher(10, subprocesses: true, new FakeProbe(_table), _table);
        watcher.Scan();
        _table.Remove(11);
        watcher.Scan();

        Assert.Equal([10, 11], watcher.Seen.Select(p => p.ProcessId).Order());
    }
}
