namespace Pyrometer.Sampling.Python;

/// <summary>One thread's Python stack at one instant.</summary>
/// <param name="ThreadId">The interpreter's <c>thread_id</c> (a <c>pthread_t</c>).</param>
/// <param name="NativeThreadId">The kernel TID, or 0 when it could not be learned.</param>
/// <param name="HoldsGil">Whether this thread held the GIL (always false where the build has none).</param>
/// <param name="Frames">Innermost (currently executing) frame first.</param>
/// <param name="FrameAddresses">
/// Where each of <paramref name="Frames"/> lives in the target, in the same order (≤3.10 the frame object,
/// 3.11+ the interpreter frame: inside its coroutine for a coroutine's), or empty where not known.
/// Tells apart two activations of the same code, such as two tasks running one coroutine function.
/// </param>
internal sealed record ThreadStack(ulong ThreadId, int NativeThreadId, bool HoldsGil, IReadOnlyList<PythonFrame> Frames,
    IReadOnlyList<ulong>? FrameAddresses = null);
