using Pyrometer.Sampling.Python;
using Pyrometer.Sampling.Sampling;

namespace Pyrometer.Sampling.Tests.Sampling;

/// <summary>The gate's decisions with scripted counter movements (the live behaviour is in ProcThreadStatesTests).</summary>
public sealed class CpuSampleGateTests : IDisposable
{
    private readonly ScriptedStates _states = new();
    private readonly ListSink _sink = new();
    private readonly FakeProcessSampler _process = new(10, 1);

    public void Dispose() => _process.Dispose();

    [Fact]
    public void Offer_CpuTimeMovesFirst_KeepsTheHeldStacks()
    {
        var gate = new CpuSampleGate(_states, _sink);
        _states.Next(CpuActivity.Unchanged, CpuActivity.Unchanged, CpuActivity.Ran);

        Assert.Equal(0, gate.Offer(_process, Stacks.Busy(1), 0));
        Assert.Equal(0, gate.Offer(_process, Stacks.Busy(1), 1));
        Assert.Equal(2, gate.Offer(_process, Stacks.Busy(1), 2));   // the third is held until the next movement

        Assert.Equal(2, _sink.Added.Count);
        Assert.Equal(1, gate.PendingCount);
    }

    [Fact]
    public void Offer_RunQueueWaitMovesFirst_DropsTheHeldStacks()
    {
        var gate = new CpuSampleGate(_states, _sink);
        _states.Next(CpuActivity.Unchanged, CpuActivity.Unchanged, CpuActivity.WasOff, CpuActivity.Ran);

        for (var tick = 0; tick < 4; tick++)
        {
            gate.Offer(_process, Stacks.Busy(1), tick);
        }

        Assert.Single(_sink.Added);   // only the stack taken after the wait ended
    }

    [Fact]
    public void Offer_NothingMovesForLong_DropsAsAsleep()
    {
        var gate = new CpuSampleGate(_states, _sink);
        var late = (long)(CpuSampleGate.MaxPendingAge.TotalSeconds * System.Diagnostics.Stopwatch.Frequency) + 1;
        _states.Next(CpuActivity.Unchanged, CpuActivity.Unchanged, CpuActivity.Ran);

        gate.Offer(_process, Stacks.Busy(1), 0);
        gate.Offer(_process, Stacks.Busy(1), late);
        gate.Offer(_process, Stacks.Busy(1), late + 1);

        Assert.Single(_sink.Added);
    }

    [Fact]
    public void Offer_NoCountersOnThisKernel_FallsBackToTheStateLetterAtOnce()
    {
        var gate = new CpuSampleGate(_states, _sink);
        _states.Next(CpuActivity.Unknown);
        _states.Running = true;

        Assert.Equal(1, gate.Offer(_process, Stacks.Busy(1), 0));
        Assert.Equal(0, gate.PendingCount);
    }

    [Fact]
    public void Flush_AtTheEnd_KeepsOnlyWhatMovedAsRunning()
    {
        var gate = new CpuSampleGate(_states, _sink);
        _states.Next(CpuActivity.Unchanged, CpuActivity.Unchanged, CpuActivity.Ran, CpuActivity.WasOff);

        gate.Offer(_process, Stacks.Busy(1), 0);
        gate.Offer(_process, Stacks.Busy(2), 0);

        Assert.Equal(1, gate.Flush());
        Assert.Equal(1, _sink.Added.Single().NativeThreadId);
        Assert.Equal(0, gate.PendingCount);
    }

    private sealed class ScriptedStates : IThreadStates
    {
        private readonly Queue<CpuActivity> _next = new();

        public bool Running { get; set; } = true;

        public void Next(params CpuActivity[] activities)
        {
            foreach (var activity in activities)
            {
                _next.Enqueue(activity);
            }
        }

        public bool IsRunning(int pid, int tid) => Running;

        public CpuActivity Observe(int pid, int tid) => _next.Count > 0 ? _next.Dequeue() : CpuActivity.Unchanged;

        public void Forget(int pid)
        {
        }
    }

    private sealed class ListSink : IStackSink
    {
        public List<ThreadStack> Added { get; } = [];

        public void Add(IProcessSampler process, ThreadStack stack) => Added.Add(stack);

        public void TickCompleted(long timestamp)
        {
        }
    }
}
