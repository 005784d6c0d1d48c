using System.Runtime.InteropServices;
using Pyrometer.Sampling.Memory;

namespace Pyrometer.Sampling.Python;

/// <summary>
/// Collects independent reads and performs them with as few calls, and as few iovecs, as possible.
/// The kernel pins the pages of every remote iovec separately (≈1–2 µs each, measured), so spans that
/// lie on the same or neighbouring pages are merged into one iovec: the gap between them then only
/// touches pages that are read anyway, so merging can never turn a good read into a fault. A span
/// that faults stops the call (the kernel stops at the first bad iovec), so the batch resumes after
/// it. Buffers are reused between samples: a steady-state batch allocates nothing.
/// </summary>
internal sealed class ReadBatch
{
    /// <summary>process_vm_readv takes at most IOV_MAX (1024) iovecs per side.</summary>
    public const int MaxSpansPerCall = 1024;

    private const int PageShift = 12;

    /// <summary>
    /// Addresses below the first page are never mapped, and x86-64 user space ends below 2^57 (2^47
    /// without 5-level paging): spans outside are garbage pointers, failed without a system call.
    /// </summary>
    private const ulong LowestAddress = 0x1000;
    private const ulong HighestAddress = 1UL << 57;

    /// <summary>Largest hole merged over: reading a little more beats another iovec, but not a lot more.</summary>
    private const ulong MaxGap = 1024;

    private readonly List<RemoteSpan> _spans = [];
    private readonly List<int> _offsets = [];
    private readonly List<bool> _arrived = [];
    private readonly List<RemoteSpan> _groups = [];
    private readonly List<int> _groupOffsets = [];
    private ulong[] _keys = new ulong[64];
    private int[] _order = new int[64];
    private int[] _groupOf = new int[64];
    private byte[] _buffer = new byte[4096];
    private byte[] _groupBuffer = new byte[4096];
    private int[] _groupArrived = new int[64];
    private int[] _groupFirst = new int[64];
    private int[] _groupRank = new int[64];
    private int[] _groupIds = new int[64];
    private readonly List<RemoteSpan> _reordered = [];

    public int Count => _spans.Count;

    public int TotalBytes { get; private set; }

    /// <summary>Remote iovecs the last <see cref="Execute"/> asked for (after merging).</summary>
    public int LastIovecCount { get; private set; }

    public void Clear()
    {
        _spans.Clear();
        _offsets.Clear();
        _arrived.Clear();
        TotalBytes = 0;
    }

    /// <summary>Queues a read; returns its index for <see cref="TryGet"/>.</summary>
    public int Add(ulong address, int length)
    {
        _spans.Add(new RemoteSpan(address, length));
        _offsets.Add(TotalBytes);
        _arrived.Add(length == 0);
        TotalBytes += length;
        return _spans.Count - 1;
    }

    /// <summary>Reads everything queued. Only fatal statuses (process gone, permission) are returned as such.</summary>
    public ReadStatus Execute(IProcessMemory memory)
    {
        LastIovecCount = 0;
        var groupBytes = Group();
        if (_groups.Count == 0)
        {
            return ReadStatus.Ok;
        }
        if (_buffer.Length < TotalBytes)
        {
            _buffer = new byte[Math.Max(TotalBytes, _buffer.Length * 2)];
        }
        if (_groupBuffer.Length < groupBytes)
        {
            _groupBuffer = new byte[Math.Max(groupBytes, _groupBuffer.Length * 2)];
        }
        var groups = CollectionsMarshal.AsSpan(_groups);
        LastIovecCount = groups.Length;
        var start = 0;
        while (start < groups.Length)
        {
            var end = Math.Min(groups.Length, start + MaxSpansPerCall);
            var status = memory.Read(groups[start..end], _groupBuffer.AsSpan(_groupOffsets[start]), out var read);
            if (status is ReadStatus.ProcessGone or ReadStatus.PermissionDenied)
            {
                return status;
            }
            var arrivedUpTo = _groupOffsets[start] + Math.Max(read, 0);
            var i = start;
            while (i < end && _groupOffsets[i] + groups[i].Length <= arrivedUpTo)
            {
                _groupArrived[i] = groups[i].Length;
                i++;
            }
            if (i < end)
            {
                // Group i stopped the call (unmapped or short); spans inside its arrived prefix are still good.
                _groupArrived[i] = Math.Max(0, arrivedUpTo - _groupOffsets[i]);
            }
            start = i < end ? i + 1 : end;
        }
        for (var s = 0; s < _spans.Count; s++)
        {
            var span = _spans[s];
            var group = _groupOf[s];
            if (span.Length > 0 && group >= 0)
            {
                var inGroup = (int)(span.Address - groups[group].Address);
                if (inGroup + span.Length <= _groupArrived[group])
                {
                    _groupBuffer.AsSpan(_groupOffsets[group] + inGroup, span.Length).CopyTo(_buffer.AsSpan(_offsets[s]));
                    _arrived[s] = true;
                }
            }
        }
        return ReadStatus.Ok;
    }

    /// <summary>The bytes of a queued read, if all of them arrived.</summary>
    public bool TryGet(int index, out ReadOnlySpan<byte> data)
    {
        if (index < 0 || index >= _spans.Count || !_arrived[index])
        {
            data = default;
            return false;
        }
        data = _buffer.AsSpan(_offsets[index], _spans[index].Length);
        return true;
    }

    // Sorts the spans by address and merges those whose gap stays within pages already being read.
    private int Group()
    {
        _groups.Clear();
        _groupOffsets.Clear();
        var count = _spans.Count;
        if (_keys.Length < count)
        {
            var size = Math.Max(count, _keys.Length * 2);
            _keys = new ulong[size];
            _order = new int[size];
            _groupOf = new int[size];
            _groupArrived = new int[size];
        }
        var live = 0;
        for (var i = 0; i < count; i++)
        {
            _groupOf[i] = -1;
            var span = _spans[i];
            if (span.Length > 0 && span.Address >= LowestAddress && span.Address < HighestAddress
                && (ulong)span.Length <= HighestAddress - span.Address)
            {
                _keys[live] = _spans[i].Address;
                _order[live++] = i;
            }
        }
        Array.Sort(_keys, _order, 0, live);
        var total = 0;
        ulong groupStart = 0, groupEnd = 0;
        for (var k = 0; k < live; k++)
        {
            var span = _spans[_order[k]];
            var spanEnd = span.Address + (ulong)span.Length;
            var merge = _groups.Count > 0 && (span.Address >> PageShift) <= ((groupEnd - 1) >> PageShift) + 1
                && (span.Address <= groupEnd || span.Address - groupEnd <= MaxGap)
                && spanEnd >= span.Address && spanEnd - groupStart <= int.MaxValue / 4;
            if (merge)
            {
                groupEnd = Math.Max(groupEnd, spanEnd);
                total -= _groups[^1].Length;
                _groups[^1] = new RemoteSpan(groupStart, (int)(groupEnd - groupStart));
                total += _groups[^1].Length;
            }
            else
            {
                groupStart = span.Address;
                groupEnd = spanEnd;
                _groups.Add(new RemoteSpan(groupStart, span.Length));
                _groupOffsets.Add(total);
                total += span.Length;
            }
            _groupOf[_order[k]] = _groups.Count - 1;
        }
        ReorderByFirstQueued();
        Array.Clear(_groupArrived, 0, _groups.Count);
        return total;
    }

    // The kernel copies iovecs in the order given. Issuing groups in the order their first span was
    // queued lets callers read a pointer (say, current_frame) before the memory it points into, which
    // keeps what they see consistent when the target changes it during the copy.
    private void ReorderByFirstQueued()
    {
        var groups = _groups.Count;
        if (groups < 2)
        {
            return;
        }
        if (_groupFirst.Length < groups)
        {
            _groupFirst = new int[Math.Max(groups, _groupFirst.Length * 2)];
            _groupRank = new int[_groupFirst.Length];
            _groupIds = new int[_groupFirst.Length];
        }
        Array.Fill(_groupFirst, int.MaxValue, 0, groups);
        for (var s = 0; s < _spans.Count; s++)
        {
            if (_groupOf[s] >= 0)
            {
                _groupFirst[_groupOf[s]] = Math.Min(_groupFirst[_groupOf[s]], s);
            }
        }
        for (var g = 0; g < groups; g++)
        {
            _groupIds[g] = g;
        }
        Array.Sort(_groupFirst, _groupIds, 0, groups);
        _reordered.Clear();
        var offset = 0;
        _groupOffsets.Clear();
        for (var rank = 0; rank < groups; rank++)
        {
            var group = _groups[_groupIds[rank]];
            _groupRank[_groupIds[rank]] = rank;
            _reordered.Add(group);
            _groupOffsets.Add(offset);
            offset += group.Length;
        }
        _groups.Clear();
        _groups.AddRange(_reordered);
        for (var s = 0; s < _spans.Count; s++)
        {
            if (_groupOf[s] >= 0)
            {
                _groupOf[s] = _groupRank[_groupOf[s]];
            }
        }
    }
}
