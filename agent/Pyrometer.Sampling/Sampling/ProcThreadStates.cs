using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Pyrometer.Sampling.Sampling;

/// <summary>
/// Reads threads' scheduling state from /proc/PID/task/TID: the state letter from stat, and the CPU
/// time and run-queue wait from schedstat (<see cref="Observe"/>). Handles are kept open and re-read at
/// offset 0 (the kernel regenerates the file on each read), so each costs one system call. Ids come in the target's own PID namespace (a container's) and are
/// translated to ours (<see cref="NamespaceThreadIds"/>).
/// </summary>
internal sealed partial class ProcThreadStates(string procRoot = "/proc") : IThreadStates, IDisposable
{
    /// <summary>Open handles per kind; past this all are closed and reopened on demand.</summary>
    private const int MaxThreads = 16384;

    /// <summary>Run-queue waits shorter than this (ns) do not count as having been off a CPU.</summary>
    internal const ulong ShortWaitNanoseconds = 500_000;

    private readonly Dictionary<long, SafeFileHandle> _stats = [];
    private readonly Dictionary<long, Counters> _counters = [];
    private readonly NamespaceThreadIds _ids = new(procRoot);

    public bool IsRunning(int pid, int tid)
    {
        if (!_ids.TryHostId(pid, tid, out var hostTid))
        {
            return false;   // no such thread (any more): nothing runs
        }
        var key = Key(pid, hostTid);
        if (!_stats.TryGetValue(key, out var handle))
        {
            try
            {
                handle = File.OpenHandle($"{procRoot}/{pid}/task/{hostTid}/stat");
            }
            catch (IOException)
            {
                _ids.Invalidate(pid, tid);
                return false;
            }
            catch (UnauthorizedAccessException)
            {
                return true;    // cannot tell: keep the sample rather than lose work
            }
            Add(_stats, key, handle);
        }
        Span<byte> buffer = stackalloc byte[512];
        var read = PRead(handle, buffer);
        if (read <= 0)
        {
            handle.Dispose();                        // ESRCH: the thread is gone
            _stats.Remove(key);
            _ids.Invalidate(pid, tid);
            return false;
        }
        return StateOf(buffer[..read]) == (byte)'R';
    }

    public CpuActivity Observe(int pid, int tid)
    {
        if (!_ids.TryHostId(pid, tid, out var hostTid))
        {
            return CpuActivity.Gone;
        }
        var key = Key(pid, hostTid);
        if (!_counters.TryGetValue(key, out var counters))
        {
            var path = $"{procRoot}/{pid}/task/{hostTid}/schedstat";
            try
            {
                counters = new Counters(File.OpenHandle(path));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                _ids.Invalidate(pid, tid);
                // Kernels without CONFIG_SCHED_INFO have no schedstat while the thread is there.
                return Directory.Exists($"{procRoot}/{pid}/task/{hostTid}") ? CpuActivity.Unknown : CpuActivity.Gone;
            }
            Add(_counters, key, counters);
        }
        Span<byte> buffer = stackalloc byte[128];
        var read = PRead(counters.Handle, buffer);
        if (read <= 0)
        {
            counters.Dispose();
            _counters.Remove(key);
            _ids.Invalidate(pid, tid);
            return CpuActivity.Gone;
        }
        if (!ProcSchedParser.TryParseSchedstat(buffer[..read], out var runtime, out var waited) || (runtime == 0 && waited == 0))
        {
            return CpuActivity.Unknown;   // "0 0 0": scheduler statistics are off
        }
        // A short wait is a blip, not a place where the thread sat: typically this sampler waking up on
        // the thread's CPU and preempting it for the length of a tick.
        var activity = !counters.Seen ? CpuActivity.Unchanged
            : waited - counters.Waited >= ShortWaitNanoseconds ? CpuActivity.WasOff
            : runtime != counters.Runtime || waited != counters.Waited ? CpuActivity.Ran
            : CpuActivity.Unchanged;
        counters.Seen = true;
        counters.Runtime = runtime;
        counters.Waited = waited;
        return activity;
    }

    private static void Add<T>(Dictionary<long, T> handles, long key, T handle)
        where T : IDisposable
    {
        if (handles.Count >= MaxThreads)
        {
            foreach (var old in handles.Values)
            {
                old.Dispose();
            }
            handles.Clear();
        }
        handles[key] = handle;
    }

    private static long Key(int pid, int tid) => ((long)pid << 32) | (uint)tid;

    /// <summary>The state letter: the first field after the last ')' (the command name may contain one).</summary>
    internal static byte StateOf(ReadOnlySpan<byte> stat)
    {
        var close = stat.LastIndexOf((byte)')');
        return close >= 0 && close + 2 < stat.Length ? stat[close + 2] : (byte)0;
    }

    public void Forget(int pid)
    {
        _ids.Forget(pid);
        Forget(_stats, pid);
        Forget(_counters, pid);
    }

    private static void Forget<T>(Dictionary<long, T> handles, int pid)
        where T : IDisposable
    {
        foreach (var key in handles.Keys.Where(k => (int)(k >> 32) == pid).ToList())
        {
            handles[key].Dispose();
            handles.Remove(key);
        }
    }

    public void Dispose()
    {
        foreach (var handle in _stats.Values)
        {
            handle.Dispose();
        }
        foreach (var counters in _counters.Values)
        {
            counters.Dispose();
        }
        _stats.Clear();
        _counters.Clear();
    }

    // pread directly: RandomAccess validates and ref-counts the handle, which shows at 1 kHz.
    private static int PRead(SafeFileHandle handle, Span<byte> buffer) =>
        (int)PRead((int)handle.DangerousGetHandle(), ref MemoryMarshal.GetReference(buffer), buffer.Length, 0);

    [LibraryImport("libc", EntryPoint = "pread", SetLastError = false)]
    private static partial nint PRead(int fd, ref byte buffer, nint count, long offset);

    /// <summary>A thread's schedstat handle and what it said last time.</summary>
    private sealed class Counters(SafeFileHandle handle) : IDisposable
    {
        public SafeFileHandle Handle { get; } = handle;
        public bool Seen { get; set; }
        public ulong Runtime { get; set; }
        public ulong Waited { get; set; }

        public void Dispose() => Handle.Dispose();
    }
}
