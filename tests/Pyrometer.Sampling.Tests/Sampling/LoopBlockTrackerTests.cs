using Pyrometer.Sampling.Python;
using Pyrometer.Sampling.Sampling;

namespace Pyrometer.Sampling.Tests.Sampling;

/// <summary>The tracker on synthetic stacks; timestamps are in milliseconds (frequency 1000).</summary>
public sealed class LoopBlockTrackerTests
{
    private const string Lib = "/usr/lib/python3.12/asyncio/";

    private static readonly PythonFrame RunForever = new("run_forever", "BaseEventLoop.run_forever", Lib + "base_events.py", 640);
    private static readonly PythonFrame RunOnce = new("_run_once", "BaseEventLoop._run_once", Lib + "base_events.py", 1980);
    private static readonly PythonFrame HandleRun = new("_run", "Handle._run", Lib + "events.py", 84);
    private static readonly PythonFrame Select = new("select", "EpollSelector.select", "/usr/lib/python3.12/selectors.py", 468);
    private static readonly PythonFrame TaskStep = new("__step", "Task.__step", Lib + "tasks.py", 303);

    private readonly LoopBlockTracker _tracker = new(TimeSpan.FromMilliseconds(100), 1000);

    private static ThreadStack Busy(ulong thread, string callback, params PythonFrame[] inner) =>
        new(thread, (int)thread, true, [.. inner, new PythonFrame(callback, callback, "app.py", 10), HandleRun, RunOnce, RunForever]);

    private static ThreadStack Idle(ulong thread) => new(thread, (int)thread, false, [Select, RunOnce, RunForever]);

    private static PythonFrame Frame(string name, int line = 1) => new(name, name, "app.py", line);

    private void Ticks(int pid, ThreadStack stack, long from, long to, long step = 10)
    {
        for (var t = from; t <= to; t += step)
        {
            _tracker.Observe(pid, stack, t);
        }
    }

    [Fact]
    public void OneCallbackOverTheThreshold_IsOneBlockTimedFromMidwayToMidway()
    {
        Ticks(1, Idle(7), 0, 40);
        Ticks(1, Busy(7, "handler", Frame("blocking_io", 5)), 60, 400);   // 20 ms after the last idle tick
        Ticks(1, Idle(7), 410, 500);

        var blocking = _tracker.ByProcess[1];
        Assert.Equal(1, blocking.Count);
        Assert.Equal(TimeSpan.FromMilliseconds(10 + 340 + 5), blocking.Total);
        Assert.Equal(TimeSpan.FromMilliseconds(355), blocking.Worst.Duration);
        Assert.Equal(["handler", "blocking_io"], blocking.Worst.Stack.Select(f => f.Name));
    }

    [Fact]
    public void ThresholdEdges_ExactlyTheThresholdCountsAndLessDoesNot()
    {
        _tracker.Observe(1, Idle(7), 0);
        Ticks(1, Busy(7, "exact"), 10, 100);   // 5 + 90 + 5 ms
        _tracker.Observe(1, Idle(7), 110);
        _tracker.Observe(1, Idle(7), 200);
        _tracker.Observe(1, Busy(7, "short"), 210);
        _tracker.Observe(1, Busy(7, "short"), 298);   // 5 + 88 + 4 ms
        _tracker.Observe(1, Idle(7), 307);

        var blocking = _tracker.ByProcess[1];
        Assert.Equal(1, blocking.Count);
        Assert.Equal("exact", blocking.Worst.Stack[0].Name);
    }

    [Fact]
    public void ShortCallbacks_AreNeverCounted_EvenManyInARow()
    {
        for (var t = 0; t < 2000; t += 40)
        {
            Ticks(1, Busy(7, "quick"), t, t + 20);
            _tracker.Observe(1, Idle(7), t + 30);
        }
        _tracker.Flush();

        Assert.Empty(_tracker.ByProcess);
    }

    [Fact]
    public void LoopIdleInSelect_IsNeverABlock()
    {
        Ticks(1, Idle(7), 0, 5000);
        _tracker.Flush();

        Assert.Empty(_tracker.ByProcess);
    }

    [Fact]
    public void DifferentCallbacksBackToBack_AreSeparateRuns()
    {
        Ticks(1, Busy(7, "first"), 0, 150);      // no tick before: 150 + 5 ms
        Ticks(1, Busy(7, "second"), 160, 220);   // 5 + 60 + 5 ms: under the threshold
        Ticks(1, Busy(7, "third"), 230, 500);    // no tick after: 5 + 270 ms
        _tracker.Flush();

        var blocking = _tracker.ByProcess[1];
        Assert.Equal(2, blocking.Count);
        Assert.Equal(TimeSpan.FromMilliseconds(155 + 275), blocking.Total);
        Assert.Equal("third", blocking.Worst.Stack[0].Name);
    }

    [Fact]
    public void TheCallbackMovingOnToOtherLines_IsStillTheSameBlock()
    {
        for (var t = 0; t <= 300; t += 10)
        {
            var callback = new PythonFrame("handler", "handler", "app.py", 10 + t / 10);
            _tracker.Observe(1, new ThreadStack(7, 7, true, [Frame("step", t), callback, HandleRun, RunOnce]), t);
        }
        _tracker.Flush();

        Assert.Equal(1, _tracker.ByProcess[1].Count);
        Assert.Equal(TimeSpan.FromMilliseconds(300), _tracker.ByProcess[1].Total);
    }

    [Fact]
    public void InterleavedThreadsAndProcesses_AreTrackedApart()
    {
        for (var t = 0; t <= 400; t += 10)
        {
            // Thread 7 blocks from 0 to 400; thread 8 switches callbacks every 50 ms; process 2's thread 7 blocks 200 ms.
            _tracker.Observe(1, Busy(7, "slow"), t);
            _tracker.Observe(1, t / 50 % 2 == 0 ? Busy(8, "a") : Busy(8, "b"), t);
            _tracker.Observe(2, t <= 200 ? Busy(7, "other") : Idle(7), t);
            _tracker.Observe(1, new ThreadStack(9, 9, false, [Frame("worker"), Frame("run")]), t);   // no loop at all
        }
        _tracker.Flush();

        Assert.Equal(1, _tracker.ByProcess[1].Count);
        Assert.Equal(TimeSpan.FromMilliseconds(400), _tracker.ByProcess[1].Total);
        Assert.Equal("slow", _tracker.ByProcess[1].Worst.Stack[0].Name);
        Assert.Equal(TimeSpan.FromMilliseconds(205), _tracker.ByProcess[2].Total);
    }

    [Fact]
    public void Worst_KeepsTheLongestBlockAndItsMiddleStack()
    {
        Ticks(1, Busy(7, "medium"), 0, 200);
        _tracker.Observe(1, Idle(7), 210);
        for (var t = 300; t <= 1300; t += 10)
        {
            // The innermost frame says where in the block the tick was: the worst stack is the middle one.
            _tracker.Observe(1, Busy(7, "long", Frame(t < 700 ? "early" : t <= 900 ? "middle" : "late")), t);
        }
        _tracker.Observe(1, Idle(7), 1310);

        var blocking = _tracker.ByProcess[1];
        Assert.Equal(2, blocking.Count);
        Assert.Equal(TimeSpan.FromMilliseconds(45 + 1000 + 5), blocking.Worst.Duration);
        Assert.Equal(["long", "middle"], blocking.Worst.Stack.Select(f => f.Name));
    }

    [Fact]
    public void PurePythonTaskSteps_AreSkipped_SoTasksAreToldApart()
    {
        ThreadStack Step(string coroutine) => new(7, 7, true, [Frame("inner"), Frame(coroutine), TaskStep, HandleRun, RunOnce]);
        Ticks(1, Step("one"), 0, 150);
        Ticks(1, Step("two"), 160, 300);
        _tracker.Flush();

        Assert.Equal(2, _tracker.ByProcess[1].Count);
        Assert.Equal(["one", "inner"], _tracker.ByProcess[1].Worst.Stack.Select(f => f.Name));
    }

    [Fact]
    public void LateTicks_AroundABlock_AreSplitHalfAndHalf()
    {
        // The sampler fell behind: 200 ms with no tick on either side. The block may be anywhere in them.
        _tracker.Observe(1, Idle(7), 0);
        Ticks(1, Busy(7, "handler"), 200, 600);
        _tracker.Observe(1, Idle(7), 800);

        Assert.Equal(TimeSpan.FromMilliseconds(100 + 400 + 100), _tracker.ByProcess[1].Total);
    }

    [Fact]
    public void LoopLeavingTheThread_EndsTheBlock()
    {
        _tracker.Observe(1, Idle(7), 0);
        Ticks(1, Busy(7, "handler"), 10, 300);
        Ticks(1, new ThreadStack(7, 7, true, [Frame("after_the_loop"), Frame("<module>")]), 310, 1000);
        Ticks(1, Busy(7, "handler"), 1010, 1400);   // a new loop on the same thread: a new block
        _tracker.Flush();

        Assert.Equal(2, _tracker.ByProcess[1].Count);
        // The tick at 1000, off the loop, still bounds when the second block began.
        Assert.Equal(TimeSpan.FromMilliseconds(5 + 290 + 5 + 5 + 390), _tracker.ByProcess[1].Total);
    }

    [Fact]
    public void ProcessGone_ClosesItsRunsOnly()
    {
        Ticks(1, Busy(7, "slow"), 0, 300);
        Ticks(2, Busy(7, "slow"), 0, 300);
        _tracker.Forget(1);

        Assert.Equal(1, _tracker.ByProcess[1].Count);
        Assert.False(_tracker.ByProcess.ContainsKey(2));
        _tracker.Flush();
        Assert.Equal(1, _tracker.ByProcess[2].Count);
    }

    [Fact]
    public void DeepStacks_KeepBothEndsOfTheBlockingCode()
    {
        var deep = Enumerable.Range(0, 500).Select(i => Frame("f" + i)).ToArray();
        Ticks(1, Busy(7, "handler", deep), 0, 200);
        _tracker.Flush();

        var stack = _tracker.ByProcess[1].Worst.Stack;
        Assert.Equal(LoopBlockTracker.MaxStackFrames, stack.Count);
        Assert.Equal("handler", stack[0].Name);
        Assert.Equal("f499", stack[1].Name);
        Assert.Equal("f0", stack[^1].Name);
        Assert.Equal("f1", stack[^2].Name);
    }

    [Fact]
    public void LongBlocks_KeepABoundedNumberOfStacks_AndStillPickTheMiddle()
    {
        for (var t = 0; t <= 100_000; t += 10)
        {
            _tracker.Observe(1, Busy(7, "long", Frame(t < 45_000 ? "early" : t <= 55_000 ? "middle" : "late")), t);
        }
        _tracker.Flush();

        Assert.Equal(["long", "middle"], _tracker.ByProcess[1].Worst.Stack.Select(f => f.Name));
    }
    // A C loop (uvloop): no loop frames; the task's coroutine runs right inside the frame that called run_until_complete.
    private static readonly PythonFrame Driver = new("run", "Runner.run", Lib + "runners.py", 118);
    private static readonly PythonFrame Module = new("<module>", "<module>", "app.py", 30);

    private static PythonFrame Coroutine(string name) => new(name, name, "app.py", 10) { IsAsync = true };

    private static ThreadStack OnCLoop(ulong thread, PythonFrame callback, ulong address, params PythonFrame[] inner)
    {
        PythonFrame[] frames = [.. inner, callback, Driver, Module];
        ulong[] addresses = [.. inner.Select((_, i) => 0x9000UL + (ulong)i * 0x50), address, 0x7000, 0x6000];
        return new ThreadStack(thread, (int)thread, true, frames, addresses);
    }

    private static ThreadStack CLoopIdle(ulong thread) => new(thread, (int)thread, false, [Driver, Module], [0x7000UL, 0x6000]);

    [Fact]
    public void CLoop_ATaskRunningRightInsideTheDriver_IsABlock_AndIdleTicksBoundIt()
    {
        Ticks(1, CLoopIdle(7), 0, 40);
        Ticks(1, OnCLoop(7, Coroutine("handler"), 0xA000, Frame("blocking_io")), 50, 300);
        Ticks(1, CLoopIdle(7), 310, 400);
        _tracker.Flush();

        var blocking = _tracker.ByProcess[1];
        Assert.Equal(1, blocking.Count);
        Assert.Equal(TimeSpan.FromMilliseconds(5 + 250 + 5), blocking.Total);
        Assert.Equal(["handler", "blocking_io"], blocking.Worst.Stack.Select(f => f.Name));
    }

    [Fact]
    public void CLoop_APlainCallback_CountsOnceTheDriverIsKnown()
    {
        Ticks(1, OnCLoop(7, Coroutine("startup"), 0xA000), 0, 20);
        Ticks(1, CLoopIdle(7), 30, 100);
        Ticks(1, OnCLoop(7, Frame("data_received"), 0x9F00, Frame("blocking_io")), 110, 400);
        Ticks(1, CLoopIdle(7), 410, 500);
        _tracker.Flush();

        Assert.Equal(1, _tracker.ByProcess[1].Count);
        Assert.Equal(TimeSpan.FromMilliseconds(5 + 290 + 5), _tracker.ByProcess[1].Total);
        Assert.Equal("data_received", _tracker.ByProcess[1].Worst.Stack[0].Name);
    }

    [Fact]
    public void SynchronousProgram_CallingFromItsMainFrame_IsNeverABlock()
    {
        // Same shape as a C loop's plain callback, but no coroutine ever ran: nothing marks the outer frame as a driver.
        var main = new PythonFrame("main", "main", "app.py", 20);
        for (var t = 0; t <= 3000; t += 10)
        {
            PythonFrame[] frames = t / 500 % 2 == 0 ? [Frame("blocking_io"), Frame("work"), main, Module] : [main, Module];
            _tracker.Observe(1, new ThreadStack(7, 7, true, frames, [.. frames.Select((_, i) => 0x1000UL * (ulong)(i + 1))]), t);
        }
        _tracker.Flush();

        Assert.Empty(_tracker.ByProcess);
    }

    [Fact]
    public void CLoop_DriverGone_IsNoLongerALoop()
    {
        Ticks(1, OnCLoop(7, Coroutine("handler"), 0xA000), 0, 20);
        Ticks(1, CLoopIdle(7), 30, 100);
        // run_until_complete returned: the same function, another line, calls ordinary code for long.
        var after = new PythonFrame("run", "Runner.run", Lib + "runners.py", 125);
        Ticks(1, new ThreadStack(7, 7, true, [Frame("close"), after, Module], [0x9000UL, 0x7000, 0x6000]), 110, 600);
        _tracker.Flush();

        Assert.Empty(_tracker.ByProcess);
    }

    [Fact]
    public void TasksOfOneFunctionBackToBack_AreOneBlockEach()
    {
        var handler = Coroutine("lookup");
        Ticks(1, CLoopIdle(7), 0, 10);
        Ticks(1, OnCLoop(7, handler, 0xA000, Frame("blocking_io")), 20, 200);
        Ticks(1, OnCLoop(7, handler, 0xB000, Frame("blocking_io")), 210, 400);
        Ticks(1, OnCLoop(7, handler, 0xC000, Frame("blocking_io")), 410, 600);
        Ticks(1, CLoopIdle(7), 610, 700);

        var blocking = _tracker.ByProcess[1];
        Assert.Equal(3, blocking.Count);
        Assert.Equal(TimeSpan.FromMilliseconds(5 + 580 + 5), blocking.Total);
    }

    [Fact]
    public void AsyncioTasksOfOneFunctionBackToBack_AreOneBlockEach()
    {
        var handler = Coroutine("lookup");
        ThreadStack Step(ulong address) =>
            new(7, 7, true, [Frame("blocking_io"), handler, HandleRun, RunOnce, RunForever], [0x9000UL, address, 0x8000, 0x7000, 0x6000]);
        _tracker.Observe(1, Idle(7), 0);
        Ticks(1, Step(0xA000), 10, 200);
        Ticks(1, Step(0xB000), 210, 400);
        _tracker.Observe(1, Idle(7), 410);

        Assert.Equal(2, _tracker.ByProcess[1].Count);
    }

    [Fact]
    public void OneTaskAtOneAddress_StaysOneBlockWhileItsInnerFramesMove()
    {
        for (var t = 0; t <= 300; t += 10)
        {
            _tracker.Observe(1, OnCLoop(7, Coroutine("handler"), 0xA000, Frame(t % 20 == 0 ? "parse" : "query")), t);
        }
        _tracker.Flush();

        Assert.Equal(1, _tracker.ByProcess[1].Count);
    }
}
