using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Pyrometer.Sampling.Sampling;

/// <summary>
/// Reads a thread's state letter from /proc/PID/task/TID/stat. The file handle is kept open and
/// re-read at offset 0 (the kernel regenerates it on each read), so a check costs one system call.
/// </summary>
internal sealed partial class ProcThreadStates : IThreadStates, IDisposable
{
    private readonly Dictionary<long, SafeFileHandle> _handles = [];

    public bool IsRunning(int pid, int tid)
    {
        var key = Key(pid, tid);
        if (!_handles.TryGetValue(key, out var handle))
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
            _handles[key] = handle;
        }
        Span<byte> buffer = stackalloc byte[512];
        // pread directly: RandomAccess validates and ref-counts the handle, which shows at 1 kHz.
        var read = PRead((int)handle.DangerousGetHandle(), ref MemoryMarshal.GetReference(buffer), buffer.Length, 0);
        if (read <= 0)
        {
            handle.Dispose();                        // ESRCH: the thread is gone
            _handles.Remove(key);
            return false;
        }
        return StateOf(buffer[..(int)read]) == (byte)'R';
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
        foreach (var key in _handles.Keys.Where(k => (int)(k >> 32) == pid).ToList())
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

    [LibraryImport("libc", EntryPoint = "pread", SetLastError = false)]
    private static partial nint PRead(int fd, ref byte buffer, nint count, long offset);
}
