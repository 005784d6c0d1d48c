using System.Globalization;
using System.Text;

namespace Pyrometer.Sampling.Target;

/// <summary>
/// Reads the few <c>/proc</c> files discovery and sampling need. Processes and threads come and go
/// while we look, so every reader treats "vanished" as an ordinary answer (null or an empty list)
/// instead of an exception. The root is a parameter so tests can point it at a directory of files.
/// </summary>
internal sealed class ProcFs
{
    /// <summary>Bit of CAP_SYS_PTRACE in the capability masks of <c>/proc/PID/status</c>.</summary>
    public const int CapSysPtrace = 19;

    // Most proc files we read (stat, status, cmdline) fit in one read of this size.
    private const int ReadChunk = 4096;

    public ProcFs(string root = "/proc")
    {
        ArgumentException.ThrowIfNullOrEmpty(root);
        Root = root;
    }

    public static ProcFs Default { get; } = new();

    /// <summary>Where the proc filesystem is mounted, normally <c>/proc</c>.</summary>
    public string Root { get; }

    /// <summary>The directory of one process, e.g. <c>/proc/42</c>.</summary>
    public string ProcessDirectory(int processId) => Path.Combine(Root, processId.ToString(CultureInfo.InvariantCulture));

    public bool Exists(int processId) => processId > 0 && Directory.Exists(ProcessDirectory(processId));

    /// <summary>Parses <c>/proc/PID/stat</c>; null when the process is gone.</summary>
    public ProcessStat? TryReadStat(int processId) => TryParseStat(Path.Combine(ProcessDirectory(processId), "stat"));

    /// <summary>The identity of a live process, or null when it is gone.</summary>
    public ProcessKey? TryReadKey(int processId) => TryReadStat(processId)?.Key;

    /// <summary><c>/proc/PID/cmdline</c> with its NUL separators as spaces; null when gone, empty for kernel threads and zombies.</summary>
    public string? TryReadCommandLine(int processId)
    {
        var bytes = TryReadBytes(Path.Combine(ProcessDirectory(processId), "cmdline"));
        if (bytes is null)
        {
            return null;
        }
        var text = Encoding.UTF8.GetString(bytes).TrimEnd('\0');
        return text.Replace('\0', ' ');
    }

    /// <summary>The target of the <c>/proc/PID/exe</c> link (may end in <c> (deleted)</c>); null when gone or not permitted.</summary>
    public string? TryReadExecutable(int processId)
    {
        try
        {
            return new FileInfo(Path.Combine(ProcessDirectory(processId), "exe")).LinkTarget;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>The threads of a process with their state letters; empty when the process is gone.</summary>
    public IReadOnlyList<TaskState> ReadTasks(int processId)
    {
        var tasks = new List<TaskState>();
        foreach (var directory in EnumerateNumericDirectories(Path.Combine(ProcessDirectory(processId), "task")))
        {
            // A thread may exit between listing and reading: skip it.
            if (TryParseStat(Path.Combine(directory.Path, "stat")) is { } stat)
            {
                tasks.Add(new TaskState(directory.Id, stat.State));
            }
        }
        tasks.Sort(static (a, b) => a.ThreadId.CompareTo(b.ThreadId));
        return tasks;
    }

    /// <summary>The state letter of one thread, or null when it is gone.</summary>
    public char? TryReadTaskState(int processId, int threadId) =>
        TryParseStat(Path.Combine(ProcessDirectory(processId), "task", threadId.ToString(CultureInfo.InvariantCulture), "stat"))?.State;

    /// <summary>Every process visible in this PID namespace, ordered by PID.</summary>
    public IReadOnlyList<ProcessStat> ReadProcessTable()
    {
        var table = new List<ProcessStat>();
        foreach (var directory in EnumerateNumericDirectories(Root))
        {
            if (TryParseStat(Path.Combine(directory.Path, "stat")) is { } stat)
            {
                table.Add(stat);
            }
        }
        table.Sort(static (a, b) => a.ProcessId.CompareTo(b.ProcessId));
        return table;
    }

    /// <summary>
    /// The descendants of <paramref name="root"/> in <paramref name="table"/>, breadth first (children
    /// before grandchildren). A "child" that started before its parent is a reused PID, not a child.
    /// </summary>
    public static IReadOnlyList<ProcessStat> Descendants(IReadOnlyList<ProcessStat> table, ProcessKey root)
    {
        ArgumentNullException.ThrowIfNull(table);
        var children = new Dictionary<int, List<ProcessStat>>();
        foreach (var stat in table)
        {
            if (!children.TryGetValue(stat.ParentProcessId, out var list))
            {
                list = [];
                children[stat.ParentProcessId] = list;
            }
            list.Add(stat);
        }

        var found = new List<ProcessStat>();
        var seen = new HashSet<int> { root.ProcessId };
        var queue = new Queue<ProcessKey>();
        queue.Enqueue(root);
        while (queue.TryDequeue(out var parent))
        {
            if (!children.TryGetValue(parent.ProcessId, out var list))
            {
                continue;
            }
            foreach (var child in list)
            {
                if (child.StartTime >= parent.StartTime && seen.Add(child.ProcessId))
                {
                    found.Add(child);
                    queue.Enqueue(child.Key);
                }
            }
        }
        return found;
    }

    /// <summary>The real and effective uid from <c>/proc/PID/status</c>, or null when gone.</summary>
    public (int Real, int Effective)? TryReadUids(int processId) => ParseUids(TryReadStatusField(ProcessDirectory(processId), "Uid:"));

    private static (int Real, int Effective)? ParseUids(string? line)
    {
        var parts = line?.Split((char[])['\t', ' '], StringSplitOptions.RemoveEmptyEntries);
        if (parts is not { Length: >= 2 }
            || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var real)
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var effective))
        {
            return null;
        }
        return (real, effective);
    }

    /// <summary>Whether the process has <paramref name="capability"/> in its effective set; null when unknown.</summary>
    public bool? TryHasEffectiveCapability(int processId, int capability) =>
        HasCapability(TryReadStatusField(ProcessDirectory(processId), "CapEff:"), capability);

    /// <summary>
    /// The calling thread's real and effective uid. Credentials are per thread in the kernel, and the
    /// access checks for another process use the calling thread's, so read <c>thread-self</c>.
    /// </summary>
    public (int Real, int Effective)? TryReadOwnUids() => ParseUids(TryReadStatusField(Path.Combine(Root, "thread-self"), "Uid:"));

    /// <summary>Whether the calling thread has <paramref name="capability"/> in its effective set; null when unknown.</summary>
    public bool? TryHasOwnEffectiveCapability(int capability) =>
        HasCapability(TryReadStatusField(Path.Combine(Root, "thread-self"), "CapEff:"), capability);

    private static bool? HasCapability(string? mask, int capability)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(capability);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(capability, 63);
        if (mask is null || !ulong.TryParse(mask.Trim(), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var bits))
        {
            return null;
        }
        return (bits & (1UL << capability)) != 0;
    }

    /// <summary><c>kernel.yama.ptrace_scope</c> (0–3), or null when Yama is not active (the file is absent).</summary>
    public int? TryReadYamaPtraceScope()
    {
        var bytes = TryReadBytes(Path.Combine(Root, "sys", "kernel", "yama", "ptrace_scope"));
        return bytes is not null
            && int.TryParse(Encoding.ASCII.GetString(bytes).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var scope)
            ? scope
            : null;
    }

    private static string? TryReadStatusField(string directory, string prefix)
    {
        var bytes = TryReadBytes(Path.Combine(directory, "status"));
        if (bytes is null)
        {
            return null;
        }
        foreach (var line in Encoding.UTF8.GetString(bytes).Split('\n'))
        {
            if (line.StartsWith(prefix, StringComparison.Ordinal))
            {
                return line[prefix.Length..];
            }
        }
        return null;
    }

    private static ProcessStat? TryParseStat(string path)
    {
        var bytes = TryReadBytes(path);
        if (bytes is null || bytes.Length == 0)
        {
            return null;
        }
        // comm can hold any bytes but '\0'; decode leniently rather than fail on a stray byte.
        return ProcessStat.Parse(Encoding.UTF8.GetString(bytes));
    }

    private static byte[]? TryReadBytes(string path)
    {
        try
        {
            // Proc files report length 0, so read until a read returns nothing. A FileStream without a
            // buffer copied them 16 bytes per system call (one stat file: 25 reads, plus a flock).
            using var handle = File.OpenHandle(path);
            var buffer = new byte[ReadChunk];
            var length = 0;
            int read;
            while ((read = RandomAccess.Read(handle, buffer.AsSpan(length), length)) > 0)
            {
                length += read;
                if (length == buffer.Length)
                {
                    Array.Resize(ref buffer, buffer.Length * 2);
                }
            }
            return buffer.AsSpan(0, length).ToArray();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;   // gone (ENOENT/ESRCH) or not ours to read
        }
    }

    private static List<(int Id, string Path)> EnumerateNumericDirectories(string path)
    {
        string[] entries;
        try
        {
            entries = Directory.GetDirectories(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }
        var found = new List<(int Id, string Path)>(entries.Length);
        foreach (var entry in entries)
        {
            if (int.TryParse(Path.GetFileName(entry), NumberStyles.None, CultureInfo.InvariantCulture, out var id))
            {
                found.Add((id, entry));
            }
        }
        return found;
    }
}
