using System.Collections.Concurrent;
using Pyrometer.Sampling.Target;

namespace Pyrometer.Sampling.Sampling;

/// <summary>
/// Keeps the set of processes to sample: the root and, with subprocesses, its descendants as
/// they come and go (gunicorn/uvicorn respawns, multiprocessing). Processes are keyed by PID and
/// start time, so a reused PID is a new process; a non-Python child is re-probed when it execs
/// (a shell that later becomes python) and a few times while young (an interpreter still starting).
/// Scans run on the caller's thread, a background thread (<see cref="Start"/>) or, for a single
/// process, the sampling thread between ticks (<see cref="StartInline"/>, <see cref="Poll"/>); the
/// sampling thread disposes retired samplers via <see cref="DisposeRetired"/>, so no sampler is
/// ever disposed while being read.
/// </summary>
internal sealed class ProcessWatcher : IDisposable
{
    /// <summary>Young processes that fail to attach are retried this many times.</summary>
    public const int YoungRetries = 8;

    /// <summary>Bound on the size of a process tree we follow.</summary>
    public const int MaxProcesses = 4096;

    private readonly int _rootPid;
    private readonly bool _subprocesses;
    private readonly IProcessProbe _probe;
    private readonly IProcessTable _table;
    private readonly Action<string> _notice;
    private readonly Dictionary<int, Tracked> _tracked = [];
    private readonly ConcurrentQueue<IProcessSampler> _retired = new();
    private readonly ConcurrentDictionary<IProcessSampler, byte> _gone = new();
    private readonly List<IProcessSampler> _seen = [];
    private readonly Lock _seenLock = new();
    private IProcessSampler[] _current = [];
    private Thread? _thread;
    private CancellationTokenSource? _stop;
    private long _inlineIntervalMs = -1;
    private long _nextInlineScan;
    private bool _disposed;
    private bool _goneReported;
    private bool _deniedExplained;
    private bool _rootMemoryGone;

    public ProcessWatcher(int rootPid, bool subprocesses, IProcessProbe probe, IProcessTable table, Action<string>? notice = null)
    {
        _rootPid = rootPid;
        _subprocesses = subprocesses;
        _probe = probe;
        _table = table;
        _notice = notice ?? (_ => { });
    }

    /// <summary>The samplers to read this tick.</summary>
    public IReadOnlyList<IProcessSampler> Current => Volatile.Read(ref _current);

    /// <summary>Why the root process could not be attached, if it could not.</summary>
    public TargetError? RootError { get; private set; }

    /// <summary>True once the root process has exited.</summary>
    public bool RootExited { get; private set; }

    /// <summary>True when nothing is left to sample and nothing can appear any more.</summary>
    public bool Finished => RootExited && Current.Count == 0;

    /// <summary>Every process attached at some point, for the result.</summary>
    public IReadOnlyList<ProcessSeen> Seen
    {
        get
        {
            lock (_seenLock)
            {
                // Read now, not at attach: a young process's patch level is learned at its first frames.
                return [.. _seen.Select(s => new ProcessSeen(s.ProcessId, s.CommandLine, s.Version.ToString()))];
            }
        }
    }

    /// <summary>
    /// The sampling thread reports a process it found gone (<paramref name="exited"/>: its memory is
    /// gone, ESRCH) or unreadable; the next scan retires it.
    /// </summary>
    public void MarkGone(IProcessSampler sampler, bool exited = false)
    {
        _gone.TryAdd(sampler, exited ? (byte)1 : (byte)0);
        Volatile.Write(ref _goneReported, true);
    }

    /// <summary>Disposes samplers retired by scans. Call from the sampling thread between ticks.</summary>
    public void DisposeRetired()
    {
        while (_retired.TryDequeue(out var sampler))
        {
            sampler.Dispose();
        }
    }

    /// <summary>Starts scanning every <paramref name="interval"/> on a background thread.</summary>
    public void Start(TimeSpan interval)
    {
        _stop = new CancellationTokenSource();
        var token = _stop.Token;
        _thread = new Thread(() =>
        {
            while (!token.WaitHandle.WaitOne(interval))
            {
                Scan();
            }
        })
        { IsBackground = true, Name = "pyrometer-watcher" };
        _thread.Start();
    }

    /// <summary>
    /// Scans from <see cref="Poll"/> calls instead of a thread of its own. Meant for one process,
    /// whose scan is a read of its stat file: starting a thread costs more CPU than a whole short
    /// run's scans (the runtime spins in sched_yield until the new thread runs; issue #7).
    /// </summary>
    public void StartInline(TimeSpan interval)
    {
        _inlineIntervalMs = (long)interval.TotalMilliseconds;
        _nextInlineScan = Environment.TickCount64 + _inlineIntervalMs;
    }

    /// <summary>
    /// Between ticks, on the sampling thread: scans when an inline scan is due, or at once when the
    /// sampling thread found a process gone (so the run ends without waiting for the interval).
    /// Does nothing unless <see cref="StartInline"/> was called.
    /// </summary>
    public void Poll()
    {
        if (_inlineIntervalMs < 0)
        {
            return;
        }
        var now = Environment.TickCount64;
        // A flag, not _gone.IsEmpty: that takes every lock of the dictionary, at every tick.
        if (now < _nextInlineScan && !Volatile.Read(ref _goneReported))
        {
            return;
        }
        _nextInlineScan = now + _inlineIntervalMs;
        Scan();
    }

    /// <summary>One pass: find the tree, attach new Python processes, retire the ones gone.</summary>
    public void Scan()
    {
        Volatile.Write(ref _goneReported, false);
        var now = Environment.TickCount64;
        var alive = CollectTree();
        var changed = false;

        foreach (var (pid, startTime) in alive)
        {
            if (_tracked.TryGetValue(pid, out var known) && known.StartTime == startTime)
            {
                changed |= Refresh(pid, known, now);
                continue;
            }
            if (known?.Sampler is { } stale)
            {
                Retire(stale);
                changed = true;
            }
            var tracked = new Tracked(startTime, now);
            _tracked[pid] = tracked;
            changed |= TryAttach(pid, tracked, now);
        }

        foreach (var pid in _tracked.Keys.Where(pid => !alive.ContainsKey(pid)).ToList())
        {
            if (_tracked[pid].Sampler is { } sampler)
            {
                Retire(sampler);
                changed = true;
            }
            _tracked.Remove(pid);
        }
        foreach (var (pid, tracked) in _tracked)
        {
            if (tracked.Sampler is { } sampler && _gone.TryGetValue(sampler, out var exited))
            {
                // The kernel drops an exiting process's memory before /proc shows it a zombie: a read
                // failing with ESRCH is the exit itself, so the run ends now, not at the next scan that
                // finds the PID gone (a second later for one process; issue #13).
                _rootMemoryGone |= pid == _rootPid && exited == 1;
                Retire(sampler);
                tracked.Sampler = null;
                tracked.Dead = true;
                changed = true;
            }
        }
        RootExited = _rootMemoryGone || !alive.ContainsKey(_rootPid);
        if (changed)
        {
            Volatile.Write(ref _current, _tracked.Values.Select(t => t.Sampler).OfType<IProcessSampler>().ToArray());
        }
    }

    private Dictionary<int, ulong> CollectTree()
    {
        var alive = new Dictionary<int, ulong>();
        var queue = new Queue<int>();
        queue.Enqueue(_rootPid);
        while (queue.Count > 0 && alive.Count < MaxProcesses)
        {
            var pid = queue.Dequeue();
            if (alive.ContainsKey(pid) || !_table.TryGetStartTime(pid, out var startTime))
            {
                continue;
            }
            alive[pid] = startTime;
            if (!_subprocesses)
            {
                break;
            }
            foreach (var child in _table.ChildrenOf(pid))
            {
                queue.Enqueue(child);
            }
        }
        return alive;
    }

    private bool Refresh(int pid, Tracked tracked, long now)
    {
        if (tracked.Sampler is not null || tracked.Dead || tracked.Denied)
        {
            return false;
        }
        var exe = _table.ExecutablePath(pid);
        var execd = exe is not null && !string.Equals(exe, tracked.Executable, StringComparison.Ordinal);
        var young = tracked.Attempts < YoungRetries && now >= tracked.NextAttemptAt;
        return (execd || young) && TryAttach(pid, tracked, now);
    }

    private bool TryAttach(int pid, Tracked tracked, long now)
    {
        tracked.Attempts++;
        tracked.NextAttemptAt = now + (20L << Math.Min(tracked.Attempts, 5));
        tracked.Executable = _table.ExecutablePath(pid);
        var sampler = _probe.TryAttach(pid, out var error);
        if (sampler is null)
        {
            if (error?.Kind == TargetErrorKind.PermissionDenied)
            {
                tracked.Denied = true;
            }
            if (pid == _rootPid)
            {
                RootError = error;
            }
            if (tracked.Attempts == 1 && pid != _rootPid && error is not null)
            {
                // The permission explanation is a paragraph, the same for every worker: once is enough.
                var explained = error.Kind == TargetErrorKind.PermissionDenied && _deniedExplained;
                _deniedExplained |= error.Kind == TargetErrorKind.PermissionDenied;
                _notice(explained ? $"pid {pid}: not sampled (permission denied, as explained above)" : $"pid {pid}: not sampled ({error.Message})");
            }
            return false;
        }
        if (pid == _rootPid)
        {
            RootError = null;
        }
        tracked.Sampler = sampler;
        lock (_seenLock)
        {
            _seen.Add(sampler);
        }
        var age = ProcessAge.Of(sampler.StartTime) is { } started
            ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $" {started.TotalMilliseconds:0} ms after it started")
            : "";
        var version = sampler.VersionSettled
            ? sampler.Version.ToString()
            : string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{sampler.Version.Major}.{sampler.Version.Minor}");
        _notice($"pid {pid}: sampling Python {version} ({sampler.CommandLine}){age}");
        return true;
    }

    private void Retire(IProcessSampler sampler)
    {
        _gone.TryRemove(sampler, out _);
        _retired.Enqueue(sampler);
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        _stop?.Cancel();
        _thread?.Join();
        _stop?.Dispose();
        foreach (var sampler in _tracked.Values.Select(t => t.Sampler).OfType<IProcessSampler>())
        {
            sampler.Dispose();
        }
        _tracked.Clear();
        Volatile.Write(ref _current, []);
        DisposeRetired();
    }

    private sealed class Tracked(ulong startTime, long firstSeen)
    {
        public ulong StartTime { get; } = startTime;
        public long NextAttemptAt { get; set; } = firstSeen;
        public int Attempts { get; set; }
        public string? Executable { get; set; }
        public IProcessSampler? Sampler { get; set; }
        public bool Dead { get; set; }
        public bool Denied { get; set; }
    }
}
