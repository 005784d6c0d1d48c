using Pyrometer.Sampling.Python;
using Pyrometer.Sampling.Sampling;

namespace Pyrometer.Sampling.Tests.Sampling;

public sealed class SamplerTests
{
    private readonly FakeProcessTable _table = new();

    /// <summary>Records what is kept and stops the run after a number of ticks, however slow the machine.</summary>
    private sealed class RecordingSink(int stopAfterTicks = 10) : IStackSink
    {
        public List<(int Pid, ThreadStack Stack)> Added { get; } = [];
        public int Ticks { get; private set; }
        public CancellationTokenSource Stop { get; } = new();

        public void Add(IProcessSampler process, ThreadStack stack) => Added.Add((process.ProcessId, stack));

        public void TickCompleted(long timestamp)
        {
            if (++Ticks >= stopAfterTicks)
            {
                Stop.Cancel();
            }
        }
    }

    private sealed class States(params int[] running) : IThreadStates
    {
        public List<int> Asked { get; } = [];

        public bool IsRunning(int pid, int tid)
        {
            Asked.Add(tid);
            return running.Contains(tid);
        }

        // As the kernel's counters would say it: the running ones moved their CPU time since the last look.
        public CpuActivity Observe(int pid, int tid)
        {
            Asked.Add(tid);
            return running.Contains(tid) ? CpuActivity.Ran : CpuActivity.WasOff;
        }

        public void Forget(int pid)
        {
        }
    }

    private (ProcessWatcher Watcher, FakeProcessSampler Process) Attach(params ThreadStack[] stacks)
    {
        _table.Add(10, 1);
        var process = new FakeProcessSampler(10, 100, stacks);
        var probe = new ScriptedProbe(process);
        var watcher = new ProcessWatcher(10, subprocesses: false, probe, _table);
        watcher.Scan();
        return (watcher, process);
    }

    private sealed class ScriptedProbe(IProcessSampler sampler) : IProcessProbe
    {
        public IProcessSampler? TryAttach(int pid, out TargetError? error)
        {
            error = null;
            return sampler;
        }
    }

    [Fact]
    public void Run_CpuMode_KeepsOnlyRunningThreadsNotWaiting()
    {
        var (watcher, _) = Attach(Stacks.Busy(1), Stacks.Busy(2), Stacks.Waiting(3));
        using var _ = watcher;
        var sink = new RecordingSink();
        var sampler = new Sampler(watcher, new States(1, 3), sink, new SamplerSettings(1000, null, SamplingMode.Cpu));

        var stats = sampler.Run(sink.Stop.Token);

        Assert.NotEmpty(sink.Added);
        Assert.All(sink.Added, a => Assert.Equal(1, a.Stack.NativeThreadId));
        Assert.Equal(stats.Samples, sink.Added.Count);
        Assert.Equal(10, stats.Ticks);
    }

    [Fact]
    public void Run_CpuModeWaitingTopFrame_DoesNotReadTheThreadState()
    {
        var (watcher, _) = Attach(Stacks.Busy(1), Stacks.Waiting(3));
        using var _ = watcher;
        var sink = new RecordingSink();
        var states = new States(1, 3);
        var sampler = new Sampler(watcher, states, sink, new SamplerSettings(1000, null, SamplingMode.Cpu));

        sampler.Run(sink.Stop.Token);

        Assert.NotEmpty(states.Asked);
        Assert.DoesNotContain(3, states.Asked);   // its frames already say it waits: no /proc read
    }

    [Fact]
    public void Run_CpuModeWhenTheSamplerKnowsStatesFromBeforePausing_TrustsThemOverTheKernelsNow()
    {
        var (watcher, process) = Attach(Stacks.Busy(1), Stacks.Busy(2));
        using var _ = watcher;
        process.RunningBeforeSample[1] = false;
        process.RunningBeforeSample[2] = true;
        var sink = new RecordingSink();

        new Sampler(watcher, new States(1), sink, new SamplerSettings(500, null, SamplingMode.Cpu)).Run(sink.Stop.Token);

        Assert.NotEmpty(sink.Added);
        Assert.All(sink.Added, a => Assert.Equal(2, a.Stack.NativeThreadId));
    }

    [Fact]
    public void Run_WallMode_KeepsEveryThreadWithFrames()
    {
        var (watcher, _) = Attach(Stacks.Busy(1), Stacks.Waiting(3), new ThreadStack(1, 4, false, []));
        using var _ = watcher;
        var sink = new RecordingSink();

        new Sampler(watcher, new States(), sink, new SamplerSettings(500, null, SamplingMode.Wall)).Run(sink.Stop.Token);

        Assert.Equal([1, 3], sink.Added.Select(a => a.Stack.NativeThreadId).Distinct().Order());
    }

    [Fact]
    public void Run_GilMode_KeepsOnlyTheGilHolder()
    {
        var (watcher, _) = Attach(Stacks.Busy(1, gil: false), Stacks.Busy(2, gil: true));
        using var _ = watcher;
        var sink = new RecordingSink();

        new Sampler(watcher, new States(1, 2), sink, new SamplerSettings(500, null, SamplingMode.Gil)).Run(sink.Stop.Token);

        Assert.All(sink.Added, a => Assert.Equal(2, a.Stack.NativeThreadId));
    }

    [Fact]
    public void Run_ProcessGone_StopsWithTargetExitedAndKeepsEarlierSamples()
    {
        var (watcher, process) = Attach(Stacks.Busy(1));
        using var _ = watcher;
        var sink = new SinkThatEndsTarget(process, watcher, _table, afterSamples: 3);

        var stats = new Sampler(watcher, new States(1), sink, new SamplerSettings(1000, TimeSpan.FromSeconds(30), SamplingMode.Cpu)).Run(CancellationToken.None);

        Assert.Equal(StopReason.TargetExited, stats.StoppedBecause);
        // CPU mode holds each stack until the thread's counters move: the one taken at the tick that
        // ended the target is settled at the end (this fake's counters say it ran).
        Assert.InRange(stats.Samples, 3, 4);
    }

    private sealed class SinkThatEndsTarget(FakeProcessSampler process, ProcessWatcher watcher, FakeProcessTable table, int afterSamples) : IStackSink
    {
        private int _count;

        public void Add(IProcessSampler p, ThreadStack stack)
        {
            if (++_count == afterSamples)
            {
                process.NextStatus = SampleStatus.Gone;
                table.Remove(process.ProcessId);
            }
        }

        // The watcher's own thread is not started in this test: scan between ticks instead.
        public void TickCompleted(long timestamp) => watcher.Scan();
    }

    [Fact]
    public void Run_InlineWatcherProcessGone_StopsWithTargetExitedWithoutAnotherScan()
    {
        var (watcher, process) = Attach(Stacks.Busy(1));
        using var _ = watcher;
        watcher.StartInline(TimeSpan.FromHours(1));
        var sink = new SinkThatRemovesTarget(process, _table, afterSamples: 3);

        var stats = new Sampler(watcher, new States(1), sink, new SamplerSettings(1000, TimeSpan.FromSeconds(30), SamplingMode.Cpu)).Run(CancellationToken.None);

        Assert.Equal(StopReason.TargetExited, stats.StoppedBecause);
        Assert.Equal(3, stats.Samples);
    }

    private sealed class SinkThatRemovesTarget(FakeProcessSampler process, FakeProcessTable table, int afterSamples) : IStackSink
    {
        private int _count;

        public void Add(IProcessSampler p, ThreadStack stack)
        {
            if (++_count == afterSamples)
            {
                process.NextStatus = SampleStatus.Gone;
                table.Remove(process.ProcessId);
            }
        }

        public void TickCompleted(long timestamp)
        {
        }
    }

    [Fact]
    public void Run_DroppedThreads_AreCountedAsErrorSamples()
    {
        var (watcher, process) = Attach(Stacks.Busy(1));
        using var _ = watcher;
        process.DropPerSample = 2;

        var sink = new RecordingSink();

        var stats = new Sampler(watcher, new States(1), sink, new SamplerSettings(500, null, SamplingMode.Cpu)).Run(sink.Stop.Token);

        Assert.Equal(stats.ProcessSamples * 2, stats.ErrorSamples);
        Assert.Equal(stats.ProcessSamples * 3, stats.Calls);
    }

    [Fact]
    public void Run_Duration_StopsWithDurationElapsed()
    {
        var (watcher, _) = Attach(Stacks.Busy(1));
        using var _ = watcher;

        var stats = new Sampler(watcher, new States(1), new RecordingSink(int.MaxValue), new SamplerSettings(200, TimeSpan.FromMilliseconds(20), SamplingMode.Cpu)).Run(CancellationToken.None);

        Assert.Equal(StopReason.DurationElapsed, stats.StoppedBecause);
    }

    [Fact]
    public void Run_Cancelled_StopsWithCancelled()
    {
        var (watcher, _) = Attach(Stacks.Busy(1));
        using var _ = watcher;
        using var cancel = new CancellationTokenSource();
        cancel.Cancel();

        var stats = new Sampler(watcher, new States(1), new RecordingSink(), new SamplerSettings(100, null, SamplingMode.Cpu)).Run(cancel.Token);

        Assert.Equal(StopReason.Cancelled, stats.StoppedBecause);
    }
}
