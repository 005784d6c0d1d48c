namespace Pyrometer.Sampling.Sampling;

/// <summary>The kernel's scheduling view of threads: what CPU mode needs to skip idle and waiting ones.</summary>
internal interface IThreadStates
{
    /// <summary>True when the thread is running or runnable ('R'); unknown threads count as running. For one-off looks (dump).</summary>
    bool IsRunning(int pid, int tid);

    /// <summary>Reads the thread's scheduler counters and says what moved since the previous call for it.</summary>
    CpuActivity Observe(int pid, int tid);

    /// <summary>Releases anything held for threads of a process that is gone.</summary>
    void Forget(int pid);
}
