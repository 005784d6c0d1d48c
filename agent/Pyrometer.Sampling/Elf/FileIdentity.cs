namespace Pyrometer.Sampling.Elf;

/// <summary>What <c>statx</c> said about an open file: a file replaced or rewritten in place gets a new identity.</summary>
internal readonly record struct FileIdentity(ulong Device, ulong Inode, long Length, long ModifiedSeconds, uint ModifiedNanoseconds);
