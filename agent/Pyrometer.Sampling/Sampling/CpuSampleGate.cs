using System.Diagnostics;
using Pyrometer.Sampling.Python;

namespace Pyrometer.Sampling.Sampling;

/// <summary>
/// CPU mode's test of whether a sampled thread was on a CPU (issue #13, bug 7). The state letter 'R'
/// also means "runnable, waiting for a CPU", and on a busy machine a thread waits most often right where
/// the kernel preempted it: on the way out of a system call, e.g. time.thread_time(). Counting those
/// samples gave such callers 20-38 % of the CPU with 3 busy threads on 2 cores.
/// <para>
/// A thread whose state letter is not 'R' is asleep: dropped at once. For a runnable one the kernel keeps
/// two counters (schedstat): time on a CPU, moved at every kernel tick and switch while running, and
/// time waiting on a run queue, moved when the wait ends (or the thread migrates). Whichever moves first
/// after an instant tells where the thread was then: CPU time alone means it was on a CPU (nothing
/// brought it back onto one); a wait means it was off. So each stack waits here until its thread's
/// counters move, then is kept or dropped; one that sees no movement for <see cref="MaxPendingAge"/>
/// (several kernel ticks: a running thread would have moved) sat on a run queue all along. When both
/// move between two readings the order is unknown and the stack is dropped: a few running samples just
/// before a preemption are lost rather than a waiting one kept. Waits under half a millisecond
/// (<see cref="ProcThreadStates.ShortWaitNanoseconds"/>) do not count: this sampler waking on the
/// thread's CPU preempts it that long at each tick. Stacks reach the sink a tick or more late; each once.
/// </para>
/// </summary>
internal sealed class CpuSampleGate(IThreadStates states, IStackSink sink)
{
    /// <summary>Longest a stack waits for movement: above a kernel tick at HZ=100 with room to spare.</summary>
    public static readonly TimeSpan MaxPendingAge = TimeSpan.FromMilliseconds(50);

    /// <summary>Stacks held per thread: bounds memory at very high rates.</summary>
    private const int MaxPendingPerThread = 1024;

    private static readonly long MaxAgeTicks = (long)(MaxPendingAge.TotalSeconds * Stopwatch.Frequency);

    private readonly Dictionary<ThreadKey, Pending> _threads = [];

    /// <summary>Stacks held now, across threads.</summary>
    public int PendingCount => _threads.Values.Sum(p => p.Stacks.Count);

    /// <summary>Reads the thread's counters, settles its earlier stacks, holds this one; returns the stacks kept.</summary>
    public int Offer(IProcessSampler process, ThreadStack stack, long now)
    {
        var key = new ThreadKey(process, stack.NativeThreadId);
        var activity = states.Observe(process.ProcessId, stack.NativeThreadId);
        if (activity == CpuActivity.Unknown)
        {
            // No counters on this kernel: the state letter, as before, for this stack and any held ones.
            var running = states.IsRunning(process.ProcessId, stack.NativeThreadId);
            var kept = _threads.Remove(key, out var held) ? Settle(held, running) : 0;
            return kept + (running ? Keep(process, stack, now) : 0);
        }
        if (activity == CpuActivity.Gone)
        {
            _threads.Remove(key);
            return 0;
        }
        if (!_threads.TryGetValue(key, out var pending))
        {
            pending = new Pending(process);
            _threads[key] = pending;
        }
        var emitted = activity switch
        {
            CpuActivity.Ran => Settle(pending, running: true),
            CpuActivity.WasOff => Settle(pending, running: false),
            _ => Expire(pending, now),
        };
        pending.LastOffered = now;
        if (!states.IsRunning(process.ProcessId, stack.NativeThreadId))
        {
            return emitted;   // asleep ('S', 'D'): off a CPU for sure, nothing to wait for
        }
        if (pending.Stacks.Count >= MaxPendingPerThread)
        {
            pending.Stacks.Dequeue();
        }
        pending.Stacks.Enqueue((stack, now));
        return emitted;
    }

    /// <summary>The thread's frames say it waits (no stack to hold): settles what it held, if anything.</summary>
    public int Settle(IProcessSampler process, int threadId)
    {
        var key = new ThreadKey(process, threadId);
        if (!_threads.Remove(key, out var pending) || pending.Stacks.Count == 0)
        {
            return 0;
        }
        return Settle(pending, states.Observe(process.ProcessId, threadId) == CpuActivity.Ran);
    }

    /// <summary>Drops held stacks of threads not seen for a while (exited, or their frames say they wait).</summary>
    public void Sweep(long now)
    {
        List<ThreadKey>? stale = null;
        foreach (var (key, pending) in _threads)
        {
            if (now - pending.LastOffered > MaxAgeTicks)
            {
                (stale ??= []).Add(key);
            }
        }
        foreach (var key in stale ?? [])
        {
            _threads.Remove(key);
        }
    }

    /// <summary>At the end of a run: one last reading settles what moved; the rest is dropped.</summary>
    public int Flush()
    {
        var emitted = 0;
        foreach (var (key, pending) in _threads)
        {
            if (pending.Stacks.Count > 0 && states.Observe(key.Process.ProcessId, key.ThreadId) == CpuActivity.Ran)
            {
                emitted += Settle(pending, running: true);
            }
        }
        _threads.Clear();
        return emitted;
    }

    public void Forget(IProcessSampler process)
    {
        foreach (var key in _threads.Keys.Where(k => ReferenceEquals(k.Process, process)).ToList())
        {
            _threads.Remove(key);
        }
    }

    private int Settle(Pending pending, bool running)
    {
        var emitted = 0;
        while (pending.Stacks.TryDequeue(out var held))
        {
            if (running)
            {
                emitted += Keep(pending.Process, held.Stack, held.At);
            }
        }
        return emitted;
    }

    private int Keep(IProcessSampler process, ThreadStack stack, long sampledAt)
    {
        sink.Add(process, stack, sampledAt);
        return 1;
    }

    private static int Expire(Pending pending, long now)
    {
        while (pending.Stacks.TryPeek(out var oldest) && now - oldest.At > MaxAgeTicks)
        {
            pending.Stacks.Dequeue();
        }
        return 0;
    }

    private readonly record struct ThreadKey(IProcessSampler Process, int ThreadId);

    private sealed class Pending(IProcessSampler process)
    {
        public IProcessSampler Process { get; } = process;
        public Queue<(ThreadStack Stack, long At)> Stacks { get; } = new();
        public long LastOffered { get; set; }
    }
}
