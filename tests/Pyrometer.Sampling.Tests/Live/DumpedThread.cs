namespace Pyrometer.Sampling.Tests.Live;

/// <summary>One thread of a self-dump: its native id (the Linux TID), name and frames, innermost first.</summary>
public sealed record DumpedThread(long NativeId, string? Name, IReadOnlyList<DumpedFrame> Frames)
{
    /// <summary>The function names, innermost first.</summary>
    public IReadOnlyList<string> Functions => [.. Frames.Select(f => f.Function)];
}
