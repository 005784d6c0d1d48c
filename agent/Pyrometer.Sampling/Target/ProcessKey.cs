namespace Pyrometer.Sampling.Target;

/// <summary>
/// A process identity that survives PID reuse: the PID plus its start time (field 22 of
/// <c>/proc/PID/stat</c>, clock ticks since boot). A recycled PID gets a later start time.
/// </summary>
internal readonly record struct ProcessKey(int ProcessId, ulong StartTime);
