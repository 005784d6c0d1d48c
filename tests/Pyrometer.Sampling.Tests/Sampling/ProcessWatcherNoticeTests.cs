using Pyrometer.Sampling.Sampling;
using Pyrometer.Sampling.Target;

namespace Pyrometer.Sampling.Tests.Sampling;

public sealed class ProcessWatcherNoticeTests
{
    [Fact]
    public void Scan_EveryWorkerDenied_ExplainsThePermissionOnce()
    {
        var table = new FakeProcessTable();
        table.Add(10, 1);
        table.Add(11, 10);
        table.Add(12, 10);
        table.Add(13, 10);
        var notices = new List<string>();
        using var watcher = new ProcessWatcher(10, subprocesses: true, new FakeProbe(table) { FailWith = TargetErrorKind.PermissionDenied }, table, notices.Add);

        watcher.Scan();

        Assert.Equal(
            ["pid 11: not sampled (pid 11: PermissionDenied)", "pid 12: not sampled (permission denied, as explained above)", "pid 13: not sampled (permission denied, as explained above)"],
            notices);
    }
}
