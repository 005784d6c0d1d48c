using System.Globalization;
using System.Text;
using Pyrometer.Sampling.Python.Introspection;
using Pyrometer.Sampling.Target;

namespace Pyrometer.Sampling.Sampling;

/// <summary>
/// Thread names of one process for <c>--threads</c> and <c>dump</c>, read rarely: all names are
/// read from the target when a thread id without a name is asked for (at most every
/// <see cref="MinRefresh"/>, and twice per such id, as a new thread names itself just after it
/// starts) and again every <see cref="MaxAge"/>, never on every tick. A thread
/// without a Python name (threading not imported, a thread started from C, or an unreadable
/// object) gets the kernel's name for it, <c>/proc/PID/task/TID/comm</c>; failing that, none.
/// </summary>
internal sealed class ThreadNameCache(ThreadNameReader? reader, int processId, ProcFs procFs, Func<long>? clock = null)
{
    public static readonly TimeSpan MinRefresh = TimeSpan.FromMilliseconds(250);
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(10);

    private const int MaxCommBytes = 64;
    private const int MaxRemembered = 4096;

    private readonly Func<long> _clock = clock ?? (() => Environment.TickCount64);
    private readonly Dictionary<ulong, string> _names = [];
    private readonly Dictionary<int, string?> _kernelNames = [];
    private readonly Dictionary<ulong, int> _tries = [];
    private long _readAt = long.MinValue;

    /// <summary>Target reads made so far (one per refresh).</summary>
    public int Refreshes { get; private set; }

    /// <summary>The thread's name, or null when neither Python nor the kernel names it.</summary>
    public string? NameOf(ulong threadId, int nativeThreadId)
    {
        var now = _clock();
        var age = _readAt == long.MinValue ? long.MaxValue : now - _readAt;
        if (age >= (long)MaxAge.TotalMilliseconds)
        {
            _tries.Clear();
            Refresh(now);
        }
        else if (!_names.ContainsKey(threadId) && age >= (long)MinRefresh.TotalMilliseconds
            && (!_tries.TryGetValue(threadId, out var tries) || tries < 2) && _tries.Count < MaxRemembered)
        {
            _tries[threadId] = tries + 1;
            Refresh(now);
        }
        if (_names.TryGetValue(threadId, out var name))
        {
            return name;
        }
        if (nativeThreadId <= 0)
        {
            return null;
        }
        if (!_kernelNames.TryGetValue(nativeThreadId, out var kernel))
        {
            kernel = ReadComm(nativeThreadId);
            if (_kernelNames.Count >= MaxRemembered)
            {
                _kernelNames.Clear();
            }
            _kernelNames[nativeThreadId] = kernel;
        }
        return kernel;
    }

    private void Refresh(long now)
    {
        _readAt = now;
        _names.Clear();
        _kernelNames.Clear();                         // tids are reused: the kernel's names age out too
        Refreshes++;
        reader?.TryRead(_names);
    }

    private string? ReadComm(int threadId)
    {
        var path = Path.Combine(procFs.ProcessDirectory(processId), "task", threadId.ToString(CultureInfo.InvariantCulture), "comm");
        byte[] bytes;
        try
        {
            using var handle = File.OpenHandle(path);
            bytes = new byte[MaxCommBytes];
            bytes = bytes.AsSpan(0, RandomAccess.Read(handle, bytes, 0)).ToArray();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
        // The process chose this name: keep printable characters only.
        var text = Encoding.UTF8.GetString(bytes).TrimEnd('\n');
        var clean = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            clean.Append(char.IsControl(c) ? '?' : c);
        }
        return clean.Length == 0 ? null : clean.ToString();
    }
}
