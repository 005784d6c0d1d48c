using System.Runtime.InteropServices;
using Pyrometer.Sampling.Memory;

namespace Pyrometer.Sampling.Python;

/// <summary>
/// Collects independent reads and performs them with as few calls as possible (one, unless a span
/// faults: the kernel stops at the first bad iovec, so the batch resumes after it). The buffer is
/// reused between samples, so a steady-state batch allocates nothing.
/// </summary>
internal sealed class ReadBatch
{
    /// <summary>process_vm_readv takes at most IOV_MAX (1024) iovecs per side.</summary>
    public const int MaxSpansPerCall = 1024;

    private readonly List<RemoteSpan> _spans = [];
    private readonly List<int> _offsets = [];
    private readonly List<bool> _arrived = [];
    private byte[] _buffer = new byte[4096];

    public int Count => _spans.Count;

    public int TotalBytes { get; private set; }

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
        _arrived.Add(false);
        TotalBytes += length;
        return _spans.Count - 1;
    }

    /// <summary>Reads everything queued. Only fatal statuses (process gone, permission) are returned as such.</summary>
    public ReadStatus Execute(IProcessMemory memory)
    {
        if (_spans.Count == 0)
        {
            return ReadStatus.Ok;
        }
        if (_buffer.Length < TotalBytes)
        {
            _buffer = new byte[Math.Max(TotalBytes, _buffer.Length * 2)];
        }
        var spans = CollectionsMarshal.AsSpan(_spans);
        var start = 0;
        while (start < spans.Length)
        {
            var end = Math.Min(spans.Length, start + MaxSpansPerCall);
            var status = memory.Read(spans[start..end], _buffer.AsSpan(_offsets[start]), out var read);
            if (status is ReadStatus.ProcessGone or ReadStatus.PermissionDenied)
            {
                return status;
            }
            var arrivedUpTo = _offsets[start] + Math.Max(read, 0);
            var i = start;
            while (i < end && _offsets[i] + spans[i].Length <= arrivedUpTo)
            {
                _arrived[i] = true;
                i++;
            }
            // Span i stopped the call (unmapped or short): skip it and carry on with the rest.
            start = i < end ? i + 1 : end;
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
}
