using Pyrometer.Sampling.Target;

namespace Pyrometer.Sampling.Tests.Target;

public sealed class ProcFsTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("pyrometer-procfs-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private void WriteStat(int pid, string comm, char state, int ppid, ulong startTime, int? tid = null)
    {
        var directory = tid is { } t ? Path.Combine(_root, $"{pid}", "task", $"{t}") : Path.Combine(_root, $"{pid}");
        Directory.CreateDirectory(directory);
        var fields = string.Join(' ', Enumerable.Repeat("0", 17));
        File.WriteAllText(Path.Combine(directory, "stat"), $"{tid ?? pid} ({comm}) {state} {ppid} {fields} {startTime} 0 0\n");
    }

    [Fact]
    public void ReadProcessTable_FakeRoot_ListsNumericDirectoriesOnly()
    {
        WriteStat(1, "init", 'S', 0, 10);
        WriteStat(12, "gunicorn: master", 'S', 1, 20);
        Directory.CreateDirectory(Path.Combine(_root, "sys"));
        Directory.CreateDirectory(Path.Combine(_root, "99"));   // vanished between listing and reading

        var table = new ProcFs(_root).ReadProcessTable();

        Assert.Equal([1, 12], table.Select(s => s.ProcessId));
        Assert.Equal("gunicorn: master", table[1].Command);
    }

    [Fact]
    public void Descendants_TreeWithReusedPid_FollowsRealChildrenOnly()
    {
        WriteStat(1, "init", 'S', 0, 100);
        WriteStat(5, "master", 'S', 1, 200);
        WriteStat(6, "worker a", 'R', 5, 300);
        WriteStat(7, "worker b", 'S', 5, 310);
        WriteStat(8, "grandchild", 'S', 6, 400);
        WriteStat(9, "stale", 'S', 5, 150);    // claims parent 5 but started before it: parent PID was reused
        WriteStat(10, "other", 'S', 1, 500);
        var procFs = new ProcFs(_root);
        var table = procFs.ReadProcessTable();

        var descendants = ProcFs.Descendants(table, procFs.TryReadKey(5)!.Value);

        Assert.Equal([6, 7, 8], descendants.Select(s => s.ProcessId));
    }

    [Fact]
    public void ReadTasks_FakeRoot_ReturnsStatesSortedByTid()
    {
        WriteStat(3, "python", 'S', 1, 10);
        WriteStat(3, "worker", 'R', 1, 11, tid: 9);
        WriteStat(3, "python", 'S', 1, 10, tid: 3);
        Directory.CreateDirectory(Path.Combine(_root, "3", "task", "11"));   // exited thread

        var tasks = new ProcFs(_root).ReadTasks(3);

        Assert.Equal([new TaskState(3, 'S'), new TaskState(9, 'R')], tasks);
        Assert.True(tasks[1].IsRunning);
        Assert.Equal('R', new ProcFs(_root).TryReadTaskState(3, 9));
        Assert.Null(new ProcFs(_root).TryReadTaskState(3, 11));
    }

    [Fact]
    public void Readers_MissingProcess_ReturnNullOrEmpty()
    {
        var procFs = new ProcFs(_root);

        Assert.False(procFs.Exists(4));
        Assert.Null(procFs.TryReadStat(4));
        Assert.Null(procFs.TryReadCommandLine(4));
        Assert.Null(procFs.TryReadExecutable(4));
        Assert.Empty(procFs.ReadTasks(4));
        Assert.Null(procFs.TryReadUids(4));
        Assert.Null(procFs.TryHasEffectiveCapability(4, ProcFs.CapSysPtrace));
    }

    [Fact]
    public void TryReadCommandLine_NulSeparated_JoinsWithSpaces()
    {
        Directory.CreateDirectory(Path.Combine(_root, "4"));
        File.WriteAllBytes(Path.Combine(_root, "4", "cmdline"), "python3\0-m\0app server\0"u8.ToArray());

        Assert.Equal("python3 -m app server", new ProcFs(_root).TryReadCommandLine(4));
    }

    [Theory]
    [InlineData(4095)]
    [InlineData(4096)]   // exactly one read buffer: the end is only seen by the next, empty read
    [InlineData(10_000)]
    public void TryReadCommandLine_LongerThanOneRead_ReadsItAll(int length)
    {
        Directory.CreateDirectory(Path.Combine(_root, "4"));
        var text = string.Concat(Enumerable.Range(0, length).Select(i => (char)('a' + i % 26)));
        File.WriteAllText(Path.Combine(_root, "4", "cmdline"), text);

        Assert.Equal(text, new ProcFs(_root).TryReadCommandLine(4));
    }

    [Fact]
    public void TryReadUidsAndCapability_StatusFile_ParsesFields()
    {
        Directory.CreateDirectory(Path.Combine(_root, "4"));
        File.WriteAllText(Path.Combine(_root, "4", "status"), "Name:\tpython\nUid:\t1000\t1001\t1000\t1000\nCapEff:\t00000000a80c25fb\n");
        var procFs = new ProcFs(_root);

        Assert.Equal((1000, 1001), procFs.TryReadUids(4));
        Assert.True(procFs.TryHasEffectiveCapability(4, ProcFs.CapSysPtrace));
        Assert.False(procFs.TryHasEffectiveCapability(4, 2));
    }

    [Fact]
    public void TryReadYamaPtraceScope_AbsentOrPresent_ReportsIt()
    {
        var procFs = new ProcFs(_root);
        Assert.Null(procFs.TryReadYamaPtraceScope());

        Directory.CreateDirectory(Path.Combine(_root, "sys", "kernel", "yama"));
        File.WriteAllText(Path.Combine(_root, "sys", "kernel", "yama", "ptrace_scope"), "1\n");

        Assert.Equal(1, procFs.TryReadYamaPtraceScope());
    }

    [Fact]
    public void RealProc_OwnProcess_IsConsistent()
    {
        var procFs = ProcFs.Default;
        var self = Environment.ProcessId;

        var stat = procFs.TryReadStat(self)!;
        var table = procFs.ReadProcessTable();
        var tasks = procFs.ReadTasks(self);

        Assert.Equal(self, stat.ProcessId);
        Assert.Contains(table, s => s.Key == stat.Key);
        Assert.Contains(tasks, t => t.ThreadId == self);
        Assert.Equal(Environment.ProcessPath, procFs.TryReadExecutable(self));
        Assert.False(string.IsNullOrEmpty(procFs.TryReadCommandLine(self)));
        Assert.NotNull(procFs.TryReadUids(self));
    }

    [Fact]
    public void Constructor_EmptyRoot_Throws()
    {
        Assert.Throws<ArgumentException>(() => new ProcFs(""));
    }
}
