using System.Runtime.InteropServices;
using Pyrometer.Sampling.Target;

namespace Pyrometer.Sampling.Sampling;

/// <summary>
/// Pauses every thread of a process while a sample is read (<c>--blocking</c>), so stacks are
/// consistent: PTRACE_SEIZE + PTRACE_INTERRUPT each thread, wait for its group-stop, read, then
/// PTRACE_DETACH. Unlike SIGSTOP this is invisible to the target's parent and supervisors.
/// A thread that will not stop in time (uninterruptible sleep) is read unpaused rather than waited on.
/// </summary>
internal sealed partial class ThreadPauser(int processId, ProcFs procFs)
{
    private const long PtraceSeize = 0x4206;
    private const long PtraceInterrupt = 0x4207;
    private const long PtraceDetach = 17;
    private const long PtraceCont = 7;
    private const int EventStop = 128;
    private const int WaitAll = 0x40000000;   // __WALL: threads are "clone" children
    private const int WaitNoHang = 1;
    private const int Eperm = 1;
    private const int Esrch = 3;
    private static readonly TimeSpan StopTimeout = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan LateStopTimeout = TimeSpan.FromSeconds(1);

    private readonly List<int> _paused = [];
    private readonly Dictionary<int, bool> _runningBeforePause = [];

    /// <summary>Why the last pause failed for good (another tracer, permission); null when pausing works.</summary>
    public string? Problem { get; private set; }

    /// <summary>
    /// Whether a thread was running just before the last pause: once interrupted, a sleeping thread
    /// restarts its system call and looks runnable, so the state must be read first.
    /// </summary>
    public bool? WasRunning(int threadId) => _runningBeforePause.TryGetValue(threadId, out var running) ? running : null;

    /// <summary>Stops every thread; returns false (with <see cref="Problem"/>) when the process cannot be paused.</summary>
    public bool Pause()
    {
        _paused.Clear();
        _runningBeforePause.Clear();
        foreach (var task in procFs.ReadTasks(processId))
        {
            _runningBeforePause[task.ThreadId] = task.IsRunning;
            if (Ptrace(PtraceSeize, task.ThreadId, 0, 0) != 0)
            {
                var errno = Marshal.GetLastPInvokeError();
                if (errno == Esrch)
                {
                    continue;   // the thread exited meanwhile
                }
                Resume();
                Problem = errno == Eperm
                    ? $"cannot pause process {processId}: another debugger or tracer is attached, or ptrace is restricted; sample without --blocking"
                    : $"cannot pause process {processId}: ptrace failed with errno {errno}";
                return false;
            }
            _paused.Add(task.ThreadId);
            Ptrace(PtraceInterrupt, task.ThreadId, 0, 0);
        }
        foreach (var tid in _paused)
        {
            WaitForStop(tid, StopTimeout);
        }
        return true;
    }

    /// <summary>Lets every paused thread run again.</summary>
    public void Resume()
    {
        foreach (var tid in _paused)
        {
            if (Ptrace(PtraceDetach, tid, 0, 0) != 0 && Marshal.GetLastPInvokeError() == Esrch)
            {
                // Not stopped yet (the wait ran out on a loaded machine): a seized thread detaches only
                // once stopped, else it stops later and stays stopped for good. Wait for it, then detach.
                WaitForStop(tid, LateStopTimeout);
                Ptrace(PtraceDetach, tid, 0, 0);
            }
        }
        _paused.Clear();
    }

    private static void WaitForStop(int tid, TimeSpan timeout)
    {
        var deadline = Environment.TickCount64 + (long)timeout.TotalMilliseconds;
        while (Environment.TickCount64 < deadline)
        {
            var waited = WaitPid(tid, out var status, WaitAll | WaitNoHang);
            if (waited < 0)
            {
                return;   // gone, or not ours to wait for
            }
            if (waited == 0)
            {
                Thread.Yield();
                continue;
            }
            var stopped = (status & 0xFF) == 0x7F;
            if (!stopped)
            {
                return;   // exited
            }
            if (status >> 16 == EventStop)
            {
                return;   // the group-stop PTRACE_INTERRUPT asked for
            }
            // Another signal arrived first: deliver it and keep waiting for our stop.
            Ptrace(PtraceCont, tid, 0, (status >> 8) & 0xFF);
        }
    }

    [LibraryImport("libc", EntryPoint = "ptrace", SetLastError = true)]
    private static partial long Ptrace(long request, int pid, nint address, nint data);

    [LibraryImport("libc", EntryPoint = "waitpid", SetLastError = true)]
    private static partial int WaitPid(int pid, out int status, int options);
}
