namespace Pyrometer.Sampling.Python;

/// <summary>One thread's Python stack at one instant.</summary>
/// <param name="ThreadId">The interpreter's <c>thread_id</c> (a <c>pthread_t</c>).</param>
/// <param name="NativeThreadId">The kernel TID, or 0 when it could not be learned.</param>
/// <param name="HoldsGil">Whether this thread held the GIL (always false where the build has none).</param>
/// <param name="Frames">Innermost (currently executing) frame first.</param>
internal sealed record ThreadStack(ulong ThreadId, int NativeThreadId, bool HoldsGil, IReadOnlyList<PythonFrame> Frames);
