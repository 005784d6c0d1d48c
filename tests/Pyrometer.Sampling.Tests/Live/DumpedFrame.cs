namespace Pyrometer.Sampling.Tests.Live;

/// <summary>One frame as the target saw it in <c>sys._current_frames()</c>; Qualname is null before 3.11.</summary>
public sealed record DumpedFrame(string Function, string? Qualname, string File, int Line);
