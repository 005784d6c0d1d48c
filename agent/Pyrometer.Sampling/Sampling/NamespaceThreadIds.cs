namespace Pyrometer.Sampling.Sampling;

/// <summary>
/// Maps the thread ids an interpreter records (its own PID namespace's, e.g. inside a container) to the
/// ids /proc uses here. A process in our namespace needs no map. For one in another namespace the map
/// comes from the NSpid line of every /proc/PID/task/*/status, and is rebuilt when an unknown id shows
/// up (a new thread), at most every <see cref="RescanInterval"/> per process. Not thread-safe.
/// </summary>
internal sealed class NamespaceThreadIds(string procRoot = "/proc")
{
    /// <summary>Threads mapped per process: bounds the scan of a process with absurdly many threads.</summary>
    public const int MaxThreads = 8192;

    /// <summary>Processes remembered; past this the oldest knowledge is dropped and read again.</summary>
    private const int MaxProcesses = 4096;

    private const long RescanInterval = 100;   // ms: a burst of new threads costs one scan

    private readonly Dictionary<int, Process?> _processes = [];
    private readonly ProcFileReader _reader = new();

    /// <summary>
    /// The id under /proc/PID/task/ of the thread the target knows as <paramref name="threadId"/>; false
    /// when no such thread is found (it exited, or it started after the last scan and a scan is not due).
    /// </summary>
    public bool TryHostId(int pid, int threadId, out int hostId)
    {
        hostId = threadId;
        var process = Find(pid);
        if (process is null)
        {
            return true;   // same namespace, or nothing to translate with: the id is ours already
        }
        if (process.Map.TryGetValue(threadId, out hostId))
        {
            return true;
        }
        if (Environment.TickCount64 < process.NextScan)
        {
            return false;
        }
        Scan(pid, process);
        return process.Map.TryGetValue(threadId, out hostId);
    }

    /// <summary>Drops a mapping that led to a thread that is gone (ids are reused), so the next look-up rescans.</summary>
    public void Invalidate(int pid, int threadId)
    {
        if (_processes.TryGetValue(pid, out var process) && process is not null && process.Map.Remove(threadId))
        {
            process.NextScan = 0;
        }
    }

    public void Forget(int pid) => _processes.Remove(pid);

    /// <summary>
    /// The process's id in its own PID namespace (what it calls itself, and what glibc stores in its main
    /// thread's struct pthread); <paramref name="pid"/> itself when that cannot be read.
    /// </summary>
    public static int OwnId(int pid, string procRoot = "/proc")
    {
        try
        {
            var status = File.ReadAllBytes($"{procRoot}/{pid}/status");
            return ProcSchedParser.TryParseNsPid(status, out _, out var inner) ? inner : pid;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return pid;
        }
    }

    /// <summary>The ids of the process's threads in its own PID namespace (at most <see cref="MaxThreads"/>); empty when unreadable.</summary>
    public static HashSet<int> OwnThreadIds(int pid, string procRoot = "/proc")
    {
        var ids = new HashSet<int>();
        var reader = new ProcFileReader();
        try
        {
            foreach (var task in Directory.EnumerateDirectories($"{procRoot}/{pid}/task"))
            {
                if (ids.Count >= MaxThreads)
                {
                    break;
                }
                if (reader.TryRead($"{task}/status", out var status) && ProcSchedParser.TryParseNsPid(status, out _, out var inner))
                {
                    ids.Add(inner);
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            ids.Clear();
        }
        return ids;
    }

    /// <summary>The process's map, or null when its ids need no translation.</summary>
    private Process? Find(int pid)
    {
        if (_processes.TryGetValue(pid, out var known))
        {
            return known;
        }
        if (_processes.Count >= MaxProcesses)
        {
            _processes.Clear();
        }
        Process? process = null;
        // The main thread's NSpid says whether the process lives in another PID namespace.
        if (_reader.TryRead($"{procRoot}/{pid}/status", out var status)
            && ProcSchedParser.TryParseNsPid(status, out var outer, out var inner) && outer != inner)
        {
            process = new Process();
            Scan(pid, process);
        }
        _processes[pid] = process;
        return process;
    }

    private void Scan(int pid, Process process)
    {
        process.Map.Clear();
        process.NextScan = Environment.TickCount64 + RescanInterval;
        try
        {
            foreach (var task in Directory.EnumerateDirectories($"{procRoot}/{pid}/task"))
            {
                if (process.Map.Count >= MaxThreads)
                {
                    break;
                }
                if (int.TryParse(Path.GetFileName(task), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var host)
                    && _reader.TryRead($"{task}/status", out var status)
                    && ProcSchedParser.TryParseNsPid(status, out var outer, out var inner) && outer == host)
                {
                    process.Map[inner] = host;
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The process is gone or closed to us: an empty map reads as "thread not found".
        }
    }

    private sealed class Process
    {
        public Dictionary<int, int> Map { get; } = [];
        public long NextScan { get; set; }
    }
}
