using System.Runtime.InteropServices;

namespace Pyrometer.Sampling.Memory;

/// <summary>
/// Reads a live process's memory with <c>process_vm_readv</c>: the only place the system call is made.
/// One call per <see cref="Read"/> (more only beyond <see cref="MaxSpansPerCall"/> spans), no allocation.
/// </summary>
internal sealed partial class LinuxProcessMemory : IProcessMemory
{
    /// <summary>The kernel's IOV_MAX: more remote iovecs than this in one call is EINVAL.</summary>
    public const int MaxSpansPerCall = 1024;

    private const int Eperm = 1;
    private const int Esrch = 3;
    private const int Eacces = 13;
    private const int Efault = 14;
    private const int Enomem = 12;

    private long _callCount;

    public LinuxProcessMemory(int processId)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(processId);
        ProcessId = processId;
    }

    public int ProcessId { get; }

    public long CallCount => Interlocked.Read(ref _callCount);

    public ReadStatus Read(ReadOnlySpan<RemoteSpan> spans, Span<byte> destination, out int bytesRead)
    {
        bytesRead = 0;
        long total = 0;
        foreach (var span in spans)
        {
            if (span.Length < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(spans), span.Length, "A remote span cannot have a negative length.");
            }
            total += span.Length;
        }
        if (total > destination.Length)
        {
            throw new ArgumentException(
                $"The destination holds {destination.Length} bytes but the spans ask for {total}.", nameof(destination));
        }

        var done = 0;
        while (!spans.IsEmpty)
        {
            var batch = spans.Length > MaxSpansPerCall ? spans[..MaxSpansPerCall] : spans;
            var batchBytes = 0;
            foreach (var span in batch)
            {
                batchBytes += span.Length;
            }

            var status = ReadBatch(batch, destination.Slice(done, batchBytes), out var read);
            done += read;
            if (status != ReadStatus.Ok)
            {
                bytesRead = done;
                return status;
            }
            if (read < batchBytes)
            {
                // A short count means the kernel stopped at an unmapped page: the rest is not there.
                bytesRead = done;
                return ReadStatus.Fault;
            }
            spans = spans[batch.Length..];
        }
        bytesRead = done;
        return ReadStatus.Ok;
    }

    private unsafe ReadStatus ReadBatch(ReadOnlySpan<RemoteSpan> batch, Span<byte> destination, out int bytesRead)
    {
        bytesRead = 0;
        if (destination.IsEmpty)
        {
            return ReadStatus.Ok;   // nothing to move; the kernel would return 0 anyway
        }

        // At most 1024 × 16 bytes = 16 KiB of stack, bounded by MaxSpansPerCall.
        var remote = stackalloc Iovec[batch.Length];
        for (var i = 0; i < batch.Length; i++)
        {
            remote[i] = new Iovec((void*)batch[i].Address, (nuint)batch[i].Length);
        }

        fixed (byte* local = destination)
        {
            var localVector = new Iovec(local, (nuint)destination.Length);
            Interlocked.Increment(ref _callCount);
            var result = ProcessVmReadv(ProcessId, &localVector, 1, remote, (nuint)batch.Length, 0);
            if (result >= 0)
            {
                bytesRead = (int)result;
                return ReadStatus.Ok;
            }
        }

        var errno = Marshal.GetLastSystemError();
        return errno switch
        {
            Esrch => ReadStatus.ProcessGone,
            Eperm or Eacces => ReadStatus.PermissionDenied,
            // ENOMEM: the kernel could not pin the remote pages; for us it is an unreadable range.
            Efault or Enomem => ReadStatus.Fault,
            _ => throw new InvalidOperationException(
                $"process_vm_readv on process {ProcessId} failed with errno {errno} ({Marshal.GetPInvokeErrorMessage(errno)})."),
        };
    }

    [LibraryImport("libc", EntryPoint = "process_vm_readv", SetLastError = true)]
    private static unsafe partial nint ProcessVmReadv(
        int pid, Iovec* localIov, nuint localCount, Iovec* remoteIov, nuint remoteCount, nuint flags);

    /// <summary>struct iovec: base pointer, then length.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private readonly unsafe struct Iovec(void* baseAddress, nuint length)
    {
        public readonly void* BaseAddress = baseAddress;
        public readonly nuint Length = length;
    }
}
