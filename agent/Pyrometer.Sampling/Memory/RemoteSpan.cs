namespace Pyrometer.Sampling.Memory;

/// <summary>A range of another process's address space.</summary>
internal readonly record struct RemoteSpan(ulong Address, int Length);
