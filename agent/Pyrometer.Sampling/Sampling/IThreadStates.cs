namespace Pyrometer.Sampling.Sampling;

/// <summary>The kernel's scheduling state of threads: what CPU mode needs to skip idle ones.</summary>
internal interface IThreadStates
{
    /// <summary>True when the thread is running or runnable ('R'); unknown threads count as running.</summary>
    bool IsRunning(int pid, int tid);

    /// <summary>Releases anything held for threads of a process that is gone.</summary>
    void Forget(int pid);
}
