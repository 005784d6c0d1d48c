using Pyrometer.Sampling.Memory;

namespace Pyrometer.Sampling.Python;

/// <summary>
/// Collects independent reads and performs them with as few calls, and as few iovecs, as possible.
/// The kernel pins the pages of every remote iovec separately (≈1–2 µs each, measured), so spans that
/// lie on the same or neighbouring pages are merged into one iovec: the gap between them then only
/// touches pages that are read anyway, so merging can never turn a good read into a fault. A span
/// that faults stops the call (the kernel stops at the first bad iovec), so the batch resumes after
/// it. <see cref="Execute"/> reads only what was queued since the last one, keeping earlier data, so a
/// step can add what a speculative read missed. Buffers are reused: a steady-state batch allocates nothing.
/// Lengths come from the target, so the batch caps what it will hold (<see cref="MaxBytes"/>): a span
/// past the cap, or with a negative length, is refused and reads as missing, never as a huge buffer.
/// </summary>
internal sealed class ReadBatch
{
    /// <summary>process_vm_readv takes at most IOV_MAX (1024) iovecs per side.</summary>
    public const int MaxSpansPerCall = 1024;

    /// <summary>
    /// Most bytes queued between two <see cref="Clear"/>s. A sample needs chunks (≤16 MiB in all, see
    /// <see cref="StackWalker.MaxBatchBytes"/>) and a few MiB of code objects; beyond this a target is lying.
    /// Holes merged over are capped at the same figure, so the buffer never passes 2 × MaxBytes (int-safe).
    /// </summary>
    public const int MaxBytes = 32 << 20;

    private const int PageShift = 12;

    /// <summary>
    /// Addresses below the first page are never mapped, and x86-64 user space ends below 2^57 (2^47
    /// without 5-level paging): spans outside are garbage pointers, failed without a system call.
    /// </summary>
    private const ulong LowestAddress = 0x1000;
    private const ulong HighestAddress = 1UL << 57;

    /// <summary>Largest hole merged over: reading a little more beats another iovec, but not a lot more.</summary>
    private const ulong MaxGap = 1024;

    /// <summary>The length a refused span is stored with: not 0, which is a legitimate empty read.</summary>
    private const int Refused = -1;

    /// <summary>A tick sorts a handful of spans: insertion sort beats Array.Sort's set-up there.</summary>
    private const int InsertionSortLimit = 24;

    private RemoteSpan[] _spans = new RemoteSpan[64];
    private int[] _groupOf = new int[64];
    private int _count;
    private int _executed;
    private RemoteSpan[] _groups = new RemoteSpan[64];
    private int[] _groupOffsets = new int[64];
    private int[] _groupArrived = new int[64];
    private int[] _groupFirst = new int[64];
    private int[] _rank = new int[64];
    private RemoteSpan[] _moved = new RemoteSpan[64];
    private int _groupCount;
    private byte[] _data = new byte[4096];
    private int _dataUsed;
    private ulong[] _keys = new ulong[64];
    private int[] _order = new int[64];

    public int Count => _count;

    /// <summary>Bytes queued since the last <see cref="Clear"/> (refused spans not counted).</summary>
    public long TotalBytes { get; private set; }

    /// <summary>Spans refused since the last <see cref="Clear"/> because of <see cref="MaxBytes"/> or a negative length.</summary>
    public int RefusedSpans { get; private set; }

    /// <summary>Changes at every <see cref="Clear"/>: an index kept from before then means nothing.</summary>
    public int Generation { get; private set; }

    /// <summary>Remote iovecs the last <see cref="Execute"/> asked for (after merging).</summary>
    public int LastIovecCount { get; private set; }

    public void Clear()
    {
        _count = 0;
        _executed = 0;
        _groupCount = 0;
        _dataUsed = 0;
        TotalBytes = 0;
        RefusedSpans = 0;
        Generation++;
    }

    /// <summary>Queues a read; returns its index for <see cref="TryGet"/> (which fails for a refused span).</summary>
    public int Add(ulong address, int length)
    {
        if (_count == _spans.Length)
        {
            Array.Resize(ref _spans, _count * 2);
            Array.Resize(ref _groupOf, _count * 2);
        }
        if (length < 0 || TotalBytes + length > MaxBytes)
        {
            length = Refused;                        // never read; TryGet reports it missing
            RefusedSpans++;
        }
        else
        {
            TotalBytes += length;
        }
        _spans[_count] = new RemoteSpan(address, length);
        _groupOf[_count] = -1;
        return _count++;
    }

    /// <summary>Whether <paramref name="length"/> more bytes still fit under <see cref="MaxBytes"/>.</summary>
    public bool Fits(long length) => length >= 0 && TotalBytes + length <= MaxBytes;

    /// <summary>
    /// Reads everything queued since the last call (earlier reads keep their data). Only fatal statuses
    /// (process gone, permission) are returned as such.
    /// </summary>
    public ReadStatus Execute(IProcessMemory memory)
    {
        LastIovecCount = 0;
        var firstGroup = _groupCount;
        var bytes = Group(_executed);
        _executed = _count;
        if (_groupCount == firstGroup)
        {
            return ReadStatus.Ok;
        }
        if (_data.Length - _dataUsed < bytes)
        {
            var grown = new byte[Math.Max(_dataUsed + bytes, _data.Length * 2)];
            _data.AsSpan(0, _dataUsed).CopyTo(grown);   // spans read by earlier calls stay readable
            _data = grown;
        }
        _dataUsed += bytes;
        var groups = _groups.AsSpan(firstGroup, _groupCount - firstGroup);
        LastIovecCount = groups.Length;
        var start = 0;
        while (start < groups.Length)
        {
            var end = Math.Min(groups.Length, start + MaxSpansPerCall);
            var offset = _groupOffsets[firstGroup + start];
            var status = memory.Read(groups[start..end], _data.AsSpan(offset), out var read);
            if (status is ReadStatus.ProcessGone or ReadStatus.PermissionDenied)
            {
                return status;
            }
            var arrivedUpTo = offset + Math.Max(read, 0);
            var i = start;
            while (i < end && _groupOffsets[firstGroup + i] + groups[i].Length <= arrivedUpTo)
            {
                _groupArrived[firstGroup + i] = groups[i].Length;
                i++;
            }
            if (i < end)
            {
                // Group i stopped the call (unmapped or short); spans inside its arrived prefix are still good.
                _groupArrived[firstGroup + i] = Math.Max(0, arrivedUpTo - _groupOffsets[firstGroup + i]);
            }
            start = i < end ? i + 1 : end;
        }
        return ReadStatus.Ok;
    }

    /// <summary>The bytes of a queued read, if all of them arrived (valid until the next Execute or Clear).</summary>
    public bool TryGet(int index, out ReadOnlySpan<byte> data)
    {
        data = default;
        if ((uint)index >= (uint)_count)
        {
            return false;
        }
        var span = _spans[index];
        if (span.Length <= 0)
        {
            return span.Length == 0;                 // empty reads succeed; refused ones never do
        }
        var group = _groupOf[index];
        if (index >= _executed || group < 0)
        {
            return false;
        }
        var inGroup = (int)(span.Address - _groups[group].Address);
        if (inGroup + span.Length > _groupArrived[group])
        {
            return false;
        }
        data = _data.AsSpan(_groupOffsets[group] + inGroup, span.Length);
        return true;
    }

    // Sorts the spans queued from `first` on by address, merges those whose gap stays within pages
    // already being read, and lays the new groups out in the order their first span was queued.
    private int Group(int first)
    {
        var count = _count - first;
        if (_keys.Length < count)
        {
            _keys = new ulong[Math.Max(count, _keys.Length * 2)];
            _order = new int[_keys.Length];
        }
        var live = 0;
        var sorted = true;
        for (var i = first; i < _count; i++)
        {
            var span = _spans[i];
            if (span.Length > 0 && span.Address >= LowestAddress && span.Address < HighestAddress
                && (ulong)span.Length <= HighestAddress - span.Address)
            {
                sorted &= live == 0 || _keys[live - 1] <= span.Address;
                _keys[live] = span.Address;
                _order[live++] = i;
            }
        }
        if (!sorted)
        {
            Sort(_keys, _order, live);
        }
        var firstGroup = _groupCount;
        EnsureGroups(firstGroup + live);
        ulong groupStart = 0, groupEnd = 0;
        var holes = 0UL;                             // bytes read only because a hole was merged over
        for (var k = 0; k < live; k++)
        {
            var index = _order[k];
            var span = _spans[index];
            var spanEnd = span.Address + (ulong)span.Length;
            var hole = span.Address > groupEnd ? span.Address - groupEnd : 0;
            var merge = _groupCount > firstGroup && (span.Address >> PageShift) <= ((groupEnd - 1) >> PageShift) + 1
                && hole <= MaxGap && holes + hole <= MaxBytes
                && spanEnd - groupStart <= int.MaxValue / 4;
            if (merge)
            {
                holes += hole;
                groupEnd = Math.Max(groupEnd, spanEnd);
                _groups[_groupCount - 1] = new RemoteSpan(groupStart, (int)(groupEnd - groupStart));
                _groupFirst[_groupCount - 1] = Math.Min(_groupFirst[_groupCount - 1], index);
            }
            else
            {
                groupStart = span.Address;
                groupEnd = spanEnd;
                _groups[_groupCount] = span;
                _groupFirst[_groupCount++] = index;
            }
            _groupOf[index] = _groupCount - 1;
        }
        ReorderByFirstQueued(first, firstGroup);
        var offset = _dataUsed;
        for (var g = firstGroup; g < _groupCount; g++)
        {
            _groupOffsets[g] = offset;
            _groupArrived[g] = 0;
            offset += _groups[g].Length;
        }
        return offset - _dataUsed;
    }

    // The kernel copies iovecs in the order given. Issuing groups in the order their first span was
    // queued lets callers read a pointer (say, current_frame) before the memory it points into, which
    // keeps what they see consistent when the target changes it during the copy.
    private void ReorderByFirstQueued(int firstSpan, int firstGroup)
    {
        var inOrder = true;
        for (var g = firstGroup + 1; g < _groupCount && inOrder; g++)
        {
            inOrder = _groupFirst[g - 1] < _groupFirst[g];
        }
        if (inOrder)
        {
            return;                                  // the usual case: queued in address order already
        }
        // Keys are first-queued span indices, unique, so sorting them gives each group its rank.
        var groups = _groupCount - firstGroup;
        for (var g = 0; g < groups; g++)
        {
            _keys[g] = (ulong)_groupFirst[firstGroup + g];
            _order[g] = firstGroup + g;
        }
        Sort(_keys, _order, groups);
        for (var r = 0; r < groups; r++)
        {
            _rank[_order[r] - firstGroup] = firstGroup + r;
            _moved[r] = _groups[_order[r]];
        }
        _moved.AsSpan(0, groups).CopyTo(_groups.AsSpan(firstGroup));
        for (var s = firstSpan; s < _count; s++)
        {
            if (_groupOf[s] >= 0)
            {
                _groupOf[s] = _rank[_groupOf[s] - firstGroup];
            }
        }
    }

    private void EnsureGroups(int needed)
    {
        if (_groups.Length >= needed)
        {
            return;
        }
        var size = Math.Max(needed, _groups.Length * 2);
        Array.Resize(ref _groups, size);
        Array.Resize(ref _groupOffsets, size);
        Array.Resize(ref _groupArrived, size);
        Array.Resize(ref _groupFirst, size);
        Array.Resize(ref _rank, size);
        Array.Resize(ref _moved, size);
    }

    private static void Sort(ulong[] keys, int[] items, int length)
    {
        if (length > InsertionSortLimit)
        {
            Array.Sort(keys, items, 0, length);
            return;
        }
        for (var i = 1; i < length; i++)
        {
            var key = keys[i];
            var item = items[i];
            var j = i - 1;
            while (j >= 0 && keys[j] > key)
            {
                keys[j + 1] = keys[j];
                items[j + 1] = items[j];
                j--;
            }
            keys[j + 1] = key;
            items[j + 1] = item;
        }
    }
}
