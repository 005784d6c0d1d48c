namespace Pyrometer.Sampling.Python;

/// <summary>A thread left out of a sample because its stack did not add up (e.g. it changed while read).</summary>
/// <param name="ThreadId">The interpreter's <c>thread_id</c>.</param>
/// <param name="NativeThreadId">The kernel TID, or 0 when it could not be learned.</param>
internal readonly record struct DroppedThread(ulong ThreadId, int NativeThreadId);
