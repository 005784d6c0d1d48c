using System.Diagnostics;
using Pyrometer.Sampling.Python;
using Pyrometer.Sampling.Python.Async;

namespace Pyrometer.Sampling.Sampling;

/// <summary>
/// The sampling loop: at each tick of a <see cref="SamplingClock"/>, reads every watched process,
/// keeps the threads the mode asks for and hands them to the sink. Runs on the calling thread.
/// A process that exits is dropped quietly; what was sampled stays. <paramref name="loops"/>, when
/// given, sees every thread read, before the mode picks the ones it keeps: a blocked event loop
/// may be sleeping, off the CPU.
/// </summary>
internal sealed class Sampler(ProcessWatcher watcher, IThreadStates threadStates, IStackSink sink, SamplerSettings settings, LoopBlockTracker? loops = null)
{
    private readonly List<ThreadStack> _stacks = new(64);
    private readonly List<AsyncTask> _tasks = [];
    private readonly Dictionary<IProcessSampler, TaskStacks> _taskStacks = new(ReferenceEqualityComparer.Instance);
    private string? _asyncProblem;
    private readonly CpuSampleGate _gate = new(threadStates, sink);
    private readonly Lock _statsLock = new();
    private SamplerStats _stats = new();

    /// <summary>A consistent snapshot of the counters, safe to read from another thread.</summary>
    public SamplerStats Stats
    {
        get
        {
            lock (_statsLock)
            {
                return _stats;
            }
        }
    }

    public SamplerStats Run(CancellationToken cancellationToken)
    {
        var start = Stopwatch.GetTimestamp();
        var end = settings.Duration is { } d ? start + (long)(d.TotalSeconds * Stopwatch.Frequency) : long.MaxValue;
        var clock = new SamplingClock(settings.Rate, Stopwatch.Frequency, start, settings.Seed);
        long samples = 0, errors = 0, calls = 0, processSamples = 0;
        // Readers (the progress line, top) look a few times a second; a snapshot per tick is garbage.
        var publishEvery = Stopwatch.Frequency / 50;
        var nextPublish = start;
        TimeSpan? firstSample = null;
        // The end of the last tick that read a process: a run ended by the target's exit lasted until
        // then, not until the exit was noticed (issue #13).
        var lastRead = start;
        StopReason reason;

        while (true)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                reason = StopReason.Cancelled;
                break;
            }
            if (watcher.Finished)
            {
                reason = StopReason.TargetExited;
                break;
            }
            var deadline = Math.Min(clock.Deadline, end);
            PreciseSleep.Until(deadline, cancellationToken);
            var now = Stopwatch.GetTimestamp();
            if (now >= end)
            {
                reason = StopReason.DurationElapsed;
                break;
            }
            if (cancellationToken.IsCancellationRequested)
            {
                continue;
            }

            clock.TickStarted(now);
            watcher.DisposeRetired();
            var processes = watcher.Current;
            var read = false;
            for (var p = 0; p < processes.Count; p++)
            {
                var process = processes[p];
                var droppedBefore = process.DroppedThreads;
                _stacks.Clear();
                var status = process.Sample(_stacks);
                processSamples++;
                calls += process.LastSampleCalls;
                errors += process.DroppedThreads - droppedBefore;
                read |= status == SampleStatus.Ok;
                if (status is SampleStatus.Gone or SampleStatus.Denied)
                {
                    watcher.MarkGone(process, exited: status is SampleStatus.Gone);
                    _taskStacks.Remove(process);
                    threadStates.Forget(process.ProcessId);
                    _gate.Forget(process);
                    loops?.Forget(process.ProcessId);
                    continue;
                }
                for (var t = 0; t < _stacks.Count; t++)
                {
                    loops?.Observe(process.ProcessId, _stacks[t], now);
                    samples += Take(process, _stacks[t], now);
                }
                if (settings.Mode == SamplingMode.Async && status == SampleStatus.Ok)
                {
                    samples += TakeTasks(process, now);
                }
            }
            if (samples > 0)
            {
                firstSample ??= Stopwatch.GetElapsedTime(start);
            }
            if ((clock.Ticks & 255) == 0)
            {
                _gate.Sweep(now);
            }
            watcher.Poll();
            var finished = Stopwatch.GetTimestamp();
            lastRead = read ? finished : lastRead;
            sink.TickCompleted(finished);
            clock.TickFinished(finished);
            if (finished >= nextPublish)
            {
                Publish(clock, samples, errors, calls, processSamples, firstSample, start, finished, null);
                nextPublish = finished + publishEvery;
            }
        }

        samples += _gate.Flush();
        loops?.Flush();
        if (samples > 0)
        {
            firstSample ??= Stopwatch.GetElapsedTime(start);
        }
        var stoppedAt = reason == StopReason.TargetExited && lastRead > start ? lastRead : Stopwatch.GetTimestamp();
        Publish(clock, samples, errors, calls, processSamples, firstSample, start, stoppedAt, reason);
        return Stats;
    }

    /// <summary>Hands the stack to the sink if the mode keeps it (in CPU mode maybe later); returns the stacks kept.</summary>
    private int Take(IProcessSampler process, ThreadStack stack, long now)
    {
        if (stack.Frames.Count == 0)
        {
            return 0;
        }
        switch (settings.Mode)
        {
            case SamplingMode.Wall or SamplingMode.Async:
                return Keep(process, stack, now);
            case SamplingMode.Gil:
                return stack.HoldsGil ? Keep(process, stack, now) : 0;
        }
        var threadId = stack.NativeThreadId;
        // The frame test first: it is free, and the kernel's counters cost a read of /proc (idle
        // workers of a server sit in select() most of the time).
        if (IdleFrames.IsWaiting(stack.Frames[0]))
        {
            return _gate.Settle(process, threadId);
        }
        if (threadId == 0)
        {
            return Keep(process, stack, now);   // no id to ask the kernel about: keep rather than lose work
        }
        if (process.WasRunning(threadId) is { } wasRunning)
        {
            return wasRunning ? Keep(process, stack, now) : 0;
        }
        return _gate.Offer(process, stack, now);
    }

    // Async mode: one stack per suspended task, after the threads' own stacks.
    private int TakeTasks(IProcessSampler process, long now)
    {
        _tasks.Clear();
        var ok = process.ReadTasks(_tasks, out var problem);
        _asyncProblem = problem;
        if (!ok || _tasks.Count == 0)
        {
            return 0;
        }
        if (!_taskStacks.TryGetValue(process, out var builder))
        {
            builder = new TaskStacks();
            _taskStacks[process] = builder;
        }
        _stacks.Clear();
        builder.Build(_tasks, _stacks);
        foreach (var stack in _stacks)
        {
            sink.Add(process, stack, now);
        }
        return _stacks.Count;
    }

    private int Keep(IProcessSampler process, ThreadStack stack, long now)
    {
        sink.Add(process, stack, now);
        return 1;
    }

    private void Publish(SamplingClock clock, long samples, long errors, long calls, long processSamples, TimeSpan? firstSample, long start, long end, StopReason? reason)
    {
        var stats = new SamplerStats
        {
            Ticks = clock.Ticks,
            MissedTicks = clock.Missed,
            Samples = samples,
            ErrorSamples = errors,
            Calls = calls,
            ProcessSamples = processSamples,
            Elapsed = Stopwatch.GetElapsedTime(start, end),
            FirstSampleAfter = firstSample,
            MeanLatenessSeconds = clock.Ticks > 0 ? clock.TotalLatenessSeconds / clock.Ticks : 0,
            MaxLatenessSeconds = clock.MaxLatenessSeconds,
            StoppedBecause = reason,
            AsyncProblem = _asyncProblem,
        };
        lock (_statsLock)
        {
            _stats = stats;
        }
    }
}
