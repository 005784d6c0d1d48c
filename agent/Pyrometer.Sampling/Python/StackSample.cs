namespace Pyrometer.Sampling.Python;

/// <summary>One sample of every Python thread of a process.</summary>
/// <param name="Error">None when the thread list was walked; otherwise why the whole sample failed.</param>
/// <param name="Threads">The threads whose stacks added up (a thread's <see cref="ThreadStack"/> is reused while it does not change).</param>
/// <param name="DroppedThreads">Threads whose stack did not add up and were left out.</param>
/// <param name="TruncatedThreads">Threads cut at the depth cap (their outermost frames are missing).</param>
/// <param name="Calls">Memory reads (system calls) this sample made.</param>
internal sealed record StackSample(SampleError Error, IReadOnlyList<ThreadStack> Threads, int DroppedThreads, int TruncatedThreads, long Calls);
