namespace Pyrometer.Sampling.Sampling;

/// <summary>
/// What a thread's scheduler counters (CPU time, run-queue wait) say about the time since they were
/// last read. The kernel moves the CPU time only at its ticks and at switches, so "nothing moved" is
/// no answer by itself: the first counter to move after an instant tells where the thread was then.
/// </summary>
internal enum CpuActivity
{
    /// <summary>Neither moved: the thread is as it was (on a CPU between two kernel ticks, or off one).</summary>
    Unchanged,

    /// <summary>CPU time moved and the run-queue wait did not (or only by a blip): the thread was on a CPU at the last reading.</summary>
    Ran,

    /// <summary>The run-queue wait moved: at the last reading the thread was waiting for a CPU, or it cannot be told.</summary>
    WasOff,

    /// <summary>The thread is gone.</summary>
    Gone,

    /// <summary>No counters to read (a kernel without schedstat): only the state letter can tell.</summary>
    Unknown,
}
