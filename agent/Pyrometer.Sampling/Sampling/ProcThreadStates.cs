using Microsoft.Win32.SafeHandles;

namespace Pyrometer.Sampling.Sampling;

/// <summary>
/// Reads a thread's state letter from /proc/PID/task/TID/stat. The file handle is kept open and
/// re-read at offset 0 (the kernel regenerates it on each read), so a check costs one system call.
/// </summary>
internal sealed class ProcThreadStates : IThreadStates, IDisposable
{
    private readonly Dictionary<(int Pid, int Tid), SafeFileHandle> _handles = [];

    public bool IsRunning(int pid, int tid)
    {
        if (!_handles.TryGetValue((pid, tid), out var handle))
        {
            try
            {
                handle = File.OpenHandle($"/proc/{pid}/task/{tid}/stat");
            }
            catch (IOException)
            {
                return false;   // the thread is gone: nothing runs
            }
            catch (UnauthorizedAccessException)
            {
                return true;    // cannot tell: keep the sample rather than lose work
            }
            _handles[(pid, tid)] = handle;
        }
        Span<byte> buffer = stackalloc byte[512];
        int read;
        try
        {
            read = RandomAccess.Read(handle, buffer, 0);
        }
        catch (IOException)
        {
            handle.Dispose();
            _handles.Remove((pid, tid));
            return false;
        }
        return StateOf(buffer[..read]) == (byte)'R';
    }

    /// <summary>The state letter: the first field after the last ')' (the command name may contain one).</summary>
    internal static byte StateOf(ReadOnlySpan<byte> stat)
    {
        var close = stat.LastIndexOf((byte)')');
        return close >= 0 && close + 2 < stat.Length ? stat[close + 2] : (byte)0;
    }

    public void Forget(int pid)
    {
        foreach (var key in _handles.Keys.Where(k => k.Pid == pid).ToList())
        {
            _handles[key].Dispose();
            _handles.Remove(key);
        }
    }

    public void Dispose()
    {
        foreach (var handle in _handles.Values)
        {
            handle.Dispose();
        }
        _handles.Clear();
    }
}
