namespace Pyrometer.Sampling.Memory;

/// <summary>
/// Reads another process's memory. Only <c>LinuxProcessMemory</c> touches the system call;
/// tests replay recorded or synthetic images through the same seam.
/// </summary>
internal interface IProcessMemory
{
    /// <summary>The process this reads, as a PID in our PID namespace.</summary>
    int ProcessId { get; }

    /// <summary>How many reads (system calls) were made so far; the cost model counts these.</summary>
    long CallCount { get; }

    /// <summary>
    /// Reads every span, in order, into consecutive bytes of <paramref name="destination"/>
    /// (whose length is at least the spans' total) with one call. Like <c>process_vm_readv</c>,
    /// a failure part way leaves a prefix: <paramref name="bytesRead"/> says how much arrived.
    /// </summary>
    ReadStatus Read(ReadOnlySpan<RemoteSpan> spans, Span<byte> destination, out int bytesRead);
}
