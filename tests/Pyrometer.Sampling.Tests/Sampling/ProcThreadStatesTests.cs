using System.Diagnostics;
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
        // counts the waiting one as running keeps each ~100 % of the time; the truth is ~50 % or less.
        using var hogs = CpuHogs.Start(2, cpuList: "0");
        using var states = new ProcThreadStates();
        var sink = new CountingSink();
        var gate = new CpuSampleGate(states, sink);
        var loops = hogs.ProcessIds.Select(pid => new FakeProcessSampler(pid, 0)).ToArray();
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

        var shares = loops.Select(l => (double)sink.Count(l.ProcessId) / Checks).ToArray();
        Assert.True(shares.Sum() <= 1.1, $"two loops on one CPU were kept {shares[0]:P0} + {shares[1]:P0} of the time");
        Assert.All(shares, s => Assert.True(s > 0.02, $"a busy loop was kept only {s:P1} of the time over {clock.Elapsed.TotalSeconds:0.0} s"));
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
