using Pyrometer.Sampling.Memory;

namespace Pyrometer.Sampling.Fuzz;

/// <summary>
/// A target's memory decoded from a fuzz input: regions at addresses the input chooses. Reads behave
/// like process_vm_readv (spans in order, stop at the first unmapped byte, report the prefix).
/// </summary>
internal sealed class ImageMemory : IProcessMemory
{
    private readonly List<(ulong Start, byte[] Bytes)> _regions = [];

    public int ProcessId => 4242;

    public long CallCount { get; private set; }

    /// <summary>Adds a region unless it overlaps one already mapped or wraps past the top of the address space.</summary>
    public void Map(ulong start, byte[] bytes)
    {
        if (bytes.Length == 0 || start > ulong.MaxValue - (ulong)bytes.Length)
        {
            return;
        }
        foreach (var (other, data) in _regions)
        {
            if (start < other + (ulong)data.Length && other < start + (ulong)bytes.Length)
            {
                return;
            }
        }
        _regions.Add((start, bytes));
    }

    public ReadStatus Read(ReadOnlySpan<RemoteSpan> spans, Span<byte> destination, out int bytesRead)
    {
        CallCount++;
        bytesRead = 0;
        foreach (var span in spans)
        {
            // The walker must never ask for more than it gave room for: that would be a bug, so crash loudly.
            if (span.Length < 0 || bytesRead + span.Length > destination.Length)
            {
                throw new InvalidOperationException("The walker asked for a span its buffer cannot hold.");
            }
            var copied = CopyOut(span.Address, destination.Slice(bytesRead, span.Length));
            bytesRead += copied;
            if (copied < span.Length)
            {
                return bytesRead == 0 ? ReadStatus.Fault : ReadStatus.Ok;
            }
        }
        return ReadStatus.Ok;
    }

    private int CopyOut(ulong address, Span<byte> destination)
    {
        var copied = 0;
        while (copied < destination.Length)
        {
            var at = address + (ulong)copied;
            var found = false;
            foreach (var (start, bytes) in _regions)
            {
                if (at >= start && at - start < (ulong)bytes.Length)
                {
                    var offset = (int)(at - start);
                    var count = Math.Min(destination.Length - copied, bytes.Length - offset);
                    bytes.AsSpan(offset, count).CopyTo(destination[copied..]);
                    copied += count;
                    found = true;
                    break;
                }
            }
            if (!found)
            {
                break;
            }
        }
        return copied;
    }
}
