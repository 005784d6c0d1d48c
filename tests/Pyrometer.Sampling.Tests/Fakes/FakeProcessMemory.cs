using Pyrometer.Sampling.Memory;

namespace Pyrometer.Sampling.Tests.Fakes;

/// <summary>
/// Another process's memory as byte regions. Reads behave like process_vm_readv: spans are copied in
/// order and the call stops at the first byte that is not mapped, reporting the prefix that arrived.
/// </summary>
internal sealed class FakeProcessMemory(int processId = 4242) : IProcessMemory
{
    private readonly SortedList<ulong, byte[]> _regions = [];
    private readonly List<(ulong Start, ulong Length, byte[] Pattern)> _repeated = [];

    public int ProcessId { get; } = processId;

    public long CallCount { get; private set; }

    /// <summary>When set, every read fails with this status (ProcessGone, PermissionDenied).</summary>
    public ReadStatus? FailWith { get; set; }

    public IEnumerable<KeyValuePair<ulong, byte[]>> Regions => _regions;

    /// <summary>The spans (iovecs) of the last call, in the order they were given.</summary>
    public IReadOnlyList<RemoteSpan> LastSpans { get; private set; } = [];

    public void Map(ulong start, byte[] bytes)
    {
        foreach (var (other, data) in _regions)
        {
            if (start < other + (ulong)data.Length && other < start + (ulong)bytes.Length)
            {
                throw new ArgumentException($"Region 0x{start:x} overlaps 0x{other:x}.", nameof(start));
            }
        }
        _regions.Add(start, bytes);
    }

    /// <summary>
    /// Maps <paramref name="pattern"/> over and over across <paramref name="length"/> bytes, as a target
    /// that maps one memfd at many addresses would: gigabytes of image that cost the test nothing.
    /// </summary>
    public void MapRepeated(ulong start, ulong length, byte[] pattern) => _repeated.Add((start, length, pattern));

    public ReadStatus Read(ReadOnlySpan<RemoteSpan> spans, Span<byte> destination, out int bytesRead)
    {
        CallCount++;
        LastSpans = spans.ToArray();
        bytesRead = 0;
        if (FailWith is { } failure)
        {
            return failure;
        }
        foreach (var span in spans)
        {
            if (span.Length < 0 || bytesRead + span.Length > destination.Length)
            {
                throw new ArgumentException("Destination shorter than the spans' total.", nameof(destination));
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

    /// <summary>Writes into mapped memory (tests change the image between samples).</summary>
    public void Write(ulong address, ReadOnlySpan<byte> bytes)
    {
        if (!TryLocate(address, out var region, out var offset) || offset + bytes.Length > region.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(address), $"0x{address:x} is not mapped for {bytes.Length} bytes.");
        }
        bytes.CopyTo(region.AsSpan(offset));
    }

    private int CopyOut(ulong address, Span<byte> destination)
    {
        var copied = 0;
        while (copied < destination.Length && TryRepeated(address + (ulong)copied, destination.Length - copied, out var pattern, out var from, out var count))
        {
            pattern.AsSpan(from, count).CopyTo(destination[copied..]);
            copied += count;
        }
        while (copied < destination.Length && TryLocate(address + (ulong)copied, out var region, out var offset))
        {
            var count = Math.Min(destination.Length - copied, region.Length - offset);
            region.AsSpan(offset, count).CopyTo(destination[copied..]);
            copied += count;
        }
        return copied;
    }

    private bool TryRepeated(ulong address, int wanted, out byte[] pattern, out int from, out int count)
    {
        foreach (var (start, length, bytes) in _repeated)
        {
            if (address >= start && address - start < length)
            {
                pattern = bytes;
                from = (int)((address - start) % (ulong)bytes.Length);
                count = (int)Math.Min((ulong)Math.Min(wanted, bytes.Length - from), start + length - address);
                return true;
            }
        }
        (pattern, from, count) = ([], 0, 0);
        return false;
    }

    private bool TryLocate(ulong address, out byte[] region, out int offset)
    {
        var keys = _regions.Keys;
        int lo = 0, hi = keys.Count - 1, found = -1;
        while (lo <= hi)
        {
            var mid = (lo + hi) >>> 1;
            if (keys[mid] <= address)
            {
                found = mid;
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }
        region = found >= 0 ? _regions.Values[found] : [];
        offset = found >= 0 ? (int)Math.Min(address - keys[found], int.MaxValue) : 0;
        return found >= 0 && address - keys[found] < (ulong)region.Length;
    }
}
