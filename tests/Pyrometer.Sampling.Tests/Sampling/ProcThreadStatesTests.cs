using System.Diagnostics;
using System.Globalization;
using Pyrometer.Sampling.Python;
using Pyrometer.Sampling.Sampling;
using Pyrometer.Sampling.Tests.Live;
using Pyrometer.Sampling.Tests.Target;

namespace Pyrometer.Sampling.Tests.Sampling;

/// <summary>The kernel's view of real processes: busy loops pinned together, a sleeper, a PID namespace.</summary>
[Trait("Category", "Integration")]
public sealed class ProcThreadStatesTests
{
    [FileFact("util-linux taskset", CpuHogs.TaskSet, CpuHogs.Shell)]
    public void Gate_TwoBusyLoopsSharingOneCpu_KeepsEachForItsShareOfTheCpuOnly()
    {
        // Both loops are always runnable ('R'), but one CPU runs one of them at a time: a check that
        // counts the waiting one as running keeps each ~100 % of the time. The gate may keep a loop only
        // while it was on the CPU: never more often than its share of the CPU, whatever else the machine
        // runs (at load 40 that share is ~5 %), and it keeps some of each.
        using var hogs = CpuHogs.Start(2, cpuList: "0");
        using var states = new ProcThreadStates();
        var sink = new CountingSink();
        var gate = new CpuSampleGate(states, sink);
        var loops = hogs.ProcessIds.Select(pid => new FakeProcessSampler(pid, 0)).ToArray();
        var cpuBefore = loops.Select(l => CpuSeconds(l.ProcessId)).ToArray();
        var clock = Stopwatch.StartNew();
        const int Checks = 3000;
        for (var i = 0; i < Checks; i++)
        {
            foreach (var loop in loops)
            {
                gate.Offer(loop, Stacks.Busy(loop.ProcessId), Stopwatch.GetTimestamp());
            }
            Thread.Sleep(1);   // like the sampler: many kernel ticks and slices over the run
        }
        gate.Flush();
        var elapsed = clock.Elapsed.TotalSeconds;

        for (var i = 0; i < loops.Length; i++)
        {
            var kept = (double)sink.Count(loops[i].ProcessId) / Checks;
            var onCpu = (CpuSeconds(loops[i].ProcessId) - cpuBefore[i]) / elapsed;
            // 0.1: the checks are not evenly spread over the run when the test itself waits for a CPU.
            Assert.True(kept <= onCpu + 0.1, $"loop {i} was kept {kept:P1} of the checks but ran {onCpu:P1} of {elapsed:0.0} s");
            Assert.True(sink.Count(loops[i].ProcessId) > 0, $"loop {i} ran {onCpu:P1} of {elapsed:0.0} s and was never kept");
        }
    }

    /// <summary>User plus system CPU time of a process so far, from /proc/PID/stat.</summary>
    private static double CpuSeconds(int processId)
    {
        var stat = File.ReadAllText($"/proc/{processId}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        // After the command: state is field 3, utime 14 and stime 15 (1-based), in clock ticks of 1/100 s.
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0;
    }

    [FileFact("coreutils sleep", "/usr/bin/sleep")]
    public void Gate_SleepingProcess_KeepsNothing()
    {
        using var sleep = SleepingProcess.Start("/usr/bin/sleep", ["30"], waitForLine: false);
        using var states = new ProcThreadStates();
        var sink = new CountingSink();
        var gate = new CpuSampleGate(states, sink);
        var process = new FakeProcessSampler(sleep.ProcessId, 0);
        Thread.Sleep(200);   // past exec and start-up, which do run

        for (var i = 0; i < 100; i++)
        {
            gate.Offer(process, Stacks.Busy(sleep.ProcessId), Stopwatch.GetTimestamp());
            Thread.Sleep(1);
        }
        gate.Flush();

        Assert.Equal(0, sink.Count(sleep.ProcessId));
        Assert.Equal(0, gate.PendingCount);
    }

    [Fact]
    public void Observe_UnknownThread_IsGone()
    {
        using var states = new ProcThreadStates();

        Assert.Equal(CpuActivity.Gone, states.Observe(Environment.ProcessId, int.MaxValue - 7));
        Assert.False(states.IsRunning(Environment.ProcessId, int.MaxValue - 7));
    }

    [PidNamespaceFact]
    public void Observe_BusyLoopInAnotherPidNamespace_TranslatesItsOwnThreadId()
    {
        // Inside its namespace the loop is process 1: an interpreter there records thread id 1.
        using var launcher = Process.Start(new ProcessStartInfo(PidNamespaceFactAttribute.Unshare, ["-p", "-f", CpuHogs.Shell, "-c", "while :; do :; done"]) { UseShellExecute = false })!;
        try
        {
            var hostPid = ProcChildren.WaitForFirst(launcher.Id);
            using var states = new ProcThreadStates();

            var seen = Enumerable.Range(0, 200).Select(_ =>
            {
                Thread.Sleep(1);
                return states.Observe(hostPid, 1);
            }).ToList();

            Assert.Contains(CpuActivity.Ran, seen);
            Assert.DoesNotContain(CpuActivity.Gone, seen);
            Assert.True(states.IsRunning(hostPid, 1));
            Assert.Equal(CpuActivity.Gone, states.Observe(hostPid, 2));   // no such thread in there
        }
        finally
        {
            launcher.Kill(entireProcessTree: true);
            launcher.WaitForExit(TimeSpan.FromSeconds(5));
        }
    }

    private sealed class CountingSink : IStackSink
    {
        private readonly Dictionary<int, int> _counts = [];

        public int Count(int pid) => _counts.GetValueOrDefault(pid);

        public void Add(IProcessSampler process, ThreadStack stack) => _counts[process.ProcessId] = Count(process.ProcessId) + 1;

        public void TickCompleted(long timestamp)
        {
        }
    }
}
