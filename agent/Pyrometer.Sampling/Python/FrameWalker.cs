using System.Buffers.Binary;
using Pyrometer.Sampling.Memory;

namespace Pyrometer.Sampling.Python;

/// <summary>
/// Follows one thread's frame chain through the copies <see cref="FrameChainReader"/> made and turns
/// each frame into a <see cref="RawFrame"/>, skipping interpreter-owned shims. A frame outside every
/// copy is read singly and remembered, so the next sample prefetches it in its batch. A chain that
/// loops or holds garbage drops the thread; nothing read is trusted. The target runs on while its
/// chain is read, so a chain is emitted only if it is whole: every frame live (≤3.10: a freed frame
/// has no references and its <c>f_back</c> leads through the free list to NULL) and the last frame
/// the thread's base (3.11: an entry frame; 3.12+: a C-stack or interpreter-owned frame). Anything
/// else is torn: dropped and counted, never emitted as a shorter stack.
/// </summary>
internal sealed class FrameWalker(IProcessMemory memory, PythonLayout layout, ReadBatch batch, WalkerCounters counters)
{
    private readonly Dictionary<ulong, int> _queuedFrames = [];
    private readonly HashSet<ulong> _visited = [];
    private readonly byte[] _scratch = new byte[layout.FrameReadLength];
    private HashSet<ulong> _prefetch = [];
    private HashSet<ulong> _prefetchNext = [];
    private int _framesLeft;
    private int _singleReadsLeft;

    /// <summary>A sample starts: its frame and single-read budgets are full again.</summary>
    public void BeginSample()
    {
        _framesLeft = StackWalker.MaxFramesPerSample;
        _singleReadsLeft = StackWalker.MaxSingleFrameReadsPerSample;
    }

    /// <summary>Queues the frames the last sample had to read singly.</summary>
    public void QueuePrefetched()
    {
        _queuedFrames.Clear();
        foreach (var frame in _prefetch)
        {
            _queuedFrames[frame] = batch.Add(frame, layout.FrameReadLength);
        }
    }

    /// <summary>A sample completed: the frames it read singly are prefetched by the next one.</summary>
    public void SampleCompleted()
    {
        (_prefetch, _prefetchNext) = (_prefetchNext, _prefetch);
        _prefetchNext.Clear();
    }

    /// <summary>Fills the thread's frames from its current frame down; only fatal read errors are returned.</summary>
    public SampleError Walk(ThreadWork work)
    {
        _visited.Clear();
        ReadOnlySpan<byte> chunk = default;
        if (work.ChunkRead >= 0 && batch.TryGet(work.ChunkRead, out var copy))
        {
            chunk = copy;
        }
        var address = work.Frame;
        var last = 0UL;
        var depth = 0;
        var atBase = true;                           // no frame at all is a whole (empty) chain
        while (address != 0)
        {
            if (depth++ >= StackWalker.MaxDepth)
            {
                work.Truncated = true;
                break;
            }
            if (--_framesLeft < 0)
            {
                work.Truncated = true;               // the sample's budget is spent: later threads keep their innermost part
                counters.BudgetTruncations++;
                break;
            }
            if (!_visited.Add(address))
            {
                work.Dropped = true;                 // a frame chain that loops is torn
                counters.InvalidFrames++;
                break;
            }
            ReadOnlySpan<byte> frame;
            var offset = address - work.Chunk;
            if (!chunk.IsEmpty && address >= work.Chunk && offset + (ulong)layout.FrameReadLength <= (ulong)chunk.Length)
            {
                frame = chunk.Slice((int)offset, layout.FrameReadLength);
            }
            else
            {
                if (_prefetchNext.Count < StackWalker.MaxPrefetchFrames)
                {
                    _prefetchNext.Add(address);      // outside any bulk copy: read with the next sample's batch
                }
                if (_queuedFrames.TryGetValue(address, out var queued) && batch.TryGet(queued, out var prefetched))
                {
                    frame = prefetched;
                }
                else if (--_singleReadsLeft < 0)
                {
                    work.Truncated = true;           // one system call per frame: bounded per sample
                    counters.BudgetTruncations++;
                    break;
                }
                else
                {
                    var status = memory.ReadExact(address, _scratch.AsSpan(0, layout.FrameReadLength));
                    if (status != ReadStatus.Ok)
                    {
                        work.Dropped = true;
                        counters.UnreadableFrames++;
                        return status.ToSampleError();
                    }
                    frame = _scratch.AsSpan(0, layout.FrameReadLength);
                }
            }
            if (layout.Frames == FrameStyle.FrameObject && U64(frame, 0) == 0)
            {
                work.Dropped = true;                 // ob_refcnt 0: freed while we walked, its f_back is the free list
                counters.TornChains++;
                break;
            }
            if (!ParseFrame(work, frame, address))
            {
                work.Dropped = true;
                counters.InvalidFrames++;
                break;
            }
            atBase = IsBase(frame);
            last = address;
            address = U64(frame, layout.FramePrevious);
        }
        if (address == 0 && !atBase && !work.Dropped)
        {
            work.Dropped = true;                     // the chain ends short of the thread's base frame: torn
            counters.TornChains++;
        }
        if (address == 0 && !work.Dropped)
        {
            work.BaseFrame = last;
        }
        return SampleError.None;
    }

    // Whether a frame whose `previous` is NULL is where a thread's chain really ends.
    private bool IsBase(ReadOnlySpan<byte> frame)
    {
        if (layout.Frames == FrameStyle.FrameObject)
        {
            return true;                             // a live frame with f_back NULL is a thread's first
        }
        if (layout.FrameIsEntry >= 0)
        {
            return frame[layout.FrameIsEntry] != 0;
        }
        return layout.FirstSkippedOwner == int.MaxValue || frame[layout.FrameOwner] >= layout.FirstSkippedOwner;
    }

    private bool ParseFrame(ThreadWork work, ReadOnlySpan<byte> frame, ulong address)
    {
        var bits = U64(frame, layout.FrameCode);
        if (layout.Frames == FrameStyle.FrameObject)
        {
            if (bits == 0)
            {
                return false;
            }
            work.Frames.Add(new RawFrame(bits, I32(frame, layout.FrameInstruction), 0, address));
            return true;
        }
        var owner = frame[layout.FrameOwner];
        if (owner > layout.MaxOwner)
        {
            return false;                            // not a frame-owner value: garbage
        }
        if (owner >= layout.FirstSkippedOwner)
        {
            return true;                             // a shim/C-stack/interpreter frame, not Python code
        }
        var code = layout.TaggedReferences ? StackRefs.ToObject(bits) : bits;
        if (code == 0)
        {
            return false;
        }
        var tlbc = layout.FrameTlbcIndex >= 0 ? I32(frame, layout.FrameTlbcIndex) : 0;
        work.Frames.Add(new RawFrame(code, (long)U64(frame, layout.FrameInstruction), tlbc, address));
        return true;
    }

    private static ulong U64(ReadOnlySpan<byte> data, int offset) => BinaryPrimitives.ReadUInt64LittleEndian(data.Slice(offset, 8));

    private static int I32(ReadOnlySpan<byte> data, int offset) => BinaryPrimitives.ReadInt32LittleEndian(data.Slice(offset, 4));
}
