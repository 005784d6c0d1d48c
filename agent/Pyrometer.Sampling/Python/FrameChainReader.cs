using System.Buffers.Binary;
using Pyrometer.Sampling.Memory;

namespace Pyrometer.Sampling.Python;

/// <summary>
/// Step 3 of a sample (see <see cref="StackWalker"/>): per thread, everything that depends only on
/// the thread state — data-stack chunk, cframe or current frame, TID, GIL — then the frame chain
/// from the copies (<see cref="FrameWalker"/>). These reads ride on step 1's call at the last
/// sample's addresses (see <see cref="QueueAhead"/>); what the thread states contradict is read
/// again in one more call. Frames outside any copy are read singly and queued for the next
/// sample's first call. The code objects the last sample used ride along for step 4.
/// </summary>
internal sealed class FrameChainReader
{
    /// <summary>
    /// Bytes read past <c>datastack_top</c> at least (within the chunk's known size), so a frame pushed
    /// between reading the thread state and copying the chunk is usually still in the copy; beyond that
    /// the copy runs on only to the end of the page already being read, since every extra page costs a pin.
    /// A frame pushed further out is read singly and prefetched next time, so this is a cost, not a correctness, knob.
    /// </summary>
    private const ulong SlackMargin = 512;

    private const ulong PageMask = 4095;

    private const int MaxKnownChunks = 4096;

    /// <summary>
    /// Walks in a row a thread is dropped before it is taken for one this walker cannot read rather than
    /// torn: from then on it no longer keeps new base frames from being trusted (see <see cref="DropForeignChains"/>).
    /// </summary>
    public const int BrokenAfterWalks = 16;

    private readonly IProcessMemory _memory;
    private readonly PythonLayout _layout;
    private readonly ReadBatch _batch;
    private readonly ThreadListReader _threads;
    private readonly CodeObjectReader _codes;
    private readonly FrameWalker _walker;
    private readonly WalkerCounters _counters;
    private readonly Dictionary<ulong, ulong> _chunkSizes = [];
    private readonly Dictionary<ulong, ThreadWork> _bases = [];
    private readonly HashSet<ulong> _present = [];
    private readonly HashSet<ulong> _owners = [];
    private readonly HashSet<ulong> _knownOwners = [];
    private Dictionary<ulong, int> _dropStreaks = [];
    private Dictionary<ulong, int> _nextDropStreaks = [];
    private Dictionary<ulong, ulong> _lastBases = [];
    private Dictionary<ulong, ulong> _nextBases = [];
    private readonly AddressIndex _aheadSlots = new();
    private AheadThread[] _ahead = new AheadThread[4];
    private int _aheadCount;
    private ulong[] _aheadGils = new ulong[1];
    private int[] _aheadGilReads = new int[1];
    private int _aheadGilCount;
    private int[] _gilReads = new int[1];
    private int _aheadGeneration = -1;

    public FrameChainReader(IProcessMemory memory, PythonLayout layout, ReadBatch batch, ThreadListReader threads, CodeObjectReader codes, WalkerCounters counters)
    {
        _counters = counters;
        _memory = memory;
        _layout = layout;
        _batch = batch;
        _threads = threads;
        _codes = codes;
        _walker = new FrameWalker(memory, layout, batch, counters);
    }

    /// <summary>Whether the last <see cref="Read"/> knew the base frame of every thread that has frames.</summary>
    public bool BasesKnown { get; private set; }

    /// <summary>
    /// Whether the last <see cref="Read"/> had a thread dropped with no known base (and not yet taken for unreadable),
    /// so that no new base could be trusted.
    /// </summary>
    public bool Unaccounted { get; private set; }

    /// <summary>A sample completed: the frames it had to read singly are prefetched by the next one.</summary>
    public void SampleCompleted() => _walker.SampleCompleted();

    /// <summary>
    /// Queues, on the first call of a sample, what the last sample's threads needed, at the addresses
    /// they had then: cframe, data-stack chunk up to the last top plus slack, TID, GIL, prefetched
    /// frames and code fingerprints. Queued after the thread states, so each is copied after the
    /// pointer it depends on. <see cref="Read"/> uses a copy only if the thread state just read agrees.
    /// </summary>
    public void QueueAhead()
    {
        _aheadGeneration = _batch.Generation;
        for (var i = 0; i < _aheadCount; i++)
        {
            ref var ahead = ref _ahead[i];
            ahead.CFrameRead = _layout.CFrameCurrentFrame >= 0 && ahead.CFrame != 0
                ? _batch.Add(ahead.CFrame + (ulong)_layout.CFrameCurrentFrame, 8) : -1;
            ahead.ChunkRead = ahead.ChunkLength > 0 && _batch.TotalBytes + (long)ahead.ChunkLength <= StackWalker.MaxBatchBytes
                ? _batch.Add(ahead.Chunk, ahead.ChunkLength) : -1;
            ahead.TidRead = _threads.PthreadTidOffset >= 0 && ahead.ThreadId != 0
                ? _batch.Add(ahead.ThreadId + (ulong)_threads.PthreadTidOffset, 4) : -1;
        }
        _aheadGilCount = 0;
        if (_layout.Gil == GilStyle.InterpreterGilPointer)
        {
            var interpreters = _threads.Interpreters;
            Grow(ref _aheadGils, interpreters.Count);
            Grow(ref _aheadGilReads, interpreters.Count);
            foreach (var interpreter in interpreters)
            {
                _aheadGils[_aheadGilCount] = interpreter.Gil;
                _aheadGilReads[_aheadGilCount++] = QueueGil(interpreter.Gil);
            }
        }
        QueueShared();
    }

    /// <summary>Reads every thread's frames into its <see cref="ThreadWork"/>; a thread that does not add up is marked dropped.</summary>
    public SampleError Read()
    {
        var gilHolder = _threads.GilHolder;
        var gilLocked = _threads.GilLocked;
        // The batch still holds the first call's copies unless a step had to start it over.
        var ahead = _aheadGeneration == _batch.Generation;
        _aheadGeneration = -1;
        _walker.BeginSample();
        if (!ahead)
        {
            _batch.Clear();
        }
        for (var i = 0; i < _threads.WorkCount; i++)
        {
            var work = _threads.Work[i];
            var slot = ahead && work.StateInBatch && _aheadSlots.TryGet(work.Address, out var found) ? found : -1;
            QueueThread(work, slot);
        }
        var interpreters = _threads.Interpreters;
        if (_layout.Gil == GilStyle.InterpreterGilPointer)
        {
            Grow(ref _gilReads, interpreters.Count);
            for (var i = 0; i < interpreters.Count; i++)
            {
                _gilReads[i] = ahead && i < _aheadGilCount && _aheadGils[i] == interpreters[i].Gil
                    ? _aheadGilReads[i] : QueueGil(interpreters[i].Gil);
            }
        }
        if (!ahead)
        {
            QueueShared();
        }
        var status = _batch.Execute(_memory);       // only what the first call did not copy: usually nothing
        if (status != ReadStatus.Ok)
        {
            return status.ToSampleError();
        }

        for (var i = 0; i < _threads.WorkCount; i++)
        {
            var work = _threads.Work[i];
            if (work.CFrameRead >= 0)
            {
                if (!_batch.TryGet(work.CFrameRead, out var cframe))
                {
                    work.Dropped = true;
                    continue;
                }
                work.Frame = U64(cframe, 0);
            }
            if (work.FrameRead >= 0 && _batch.TryGet(work.FrameRead, out var fresh))
            {
                work.Frame = U64(fresh, 0);
            }
            if (work.ChunkRead >= 0)
            {
                RememberChunk(work);
            }
            if (work.TidRead >= 0 && _batch.TryGet(work.TidRead, out var tid) && I32(tid, 0) > 0)
            {
                work.NativeThreadId = I32(tid, 0);
            }
            switch (_layout.Gil)
            {
                case GilStyle.RuntimeGil:
                    work.HoldsGil = gilLocked && gilHolder == work.Address;
                    break;
                case GilStyle.InterpreterGilPointer:
                    var index = IndexOfInterpreter(work.Interpreter);
                    work.HoldsGil = index >= 0 && _batch.TryGet(_gilReads[index], out var gil) && gil.Length > 0
                        && I32(gil, _layout.GilLockedDelta) != 0 && U64(gil, 0) == work.Address;
                    break;
                default:
                    break;
            }
            var error = _walker.Walk(work);
            if (error.IsFatal())
            {
                return error;
            }
        }
        DropForeignChains();
        RememberThreads();
        return SampleError.None;
    }

    // One thread's reads: the copies made ahead where the thread state agrees with them, else fresh ones.
    private void QueueThread(ThreadWork work, int slot)
    {
        var cframeAhead = false;
        if (_layout.CFrameCurrentFrame >= 0 && work.Frame != 0)
        {
            work.CFrame = work.Frame;
            cframeAhead = slot >= 0 && _ahead[slot].CFrameRead >= 0 && _ahead[slot].CFrame == work.Frame;
            work.CFrameRead = cframeAhead ? _ahead[slot].CFrameRead
                : _batch.Add(work.Frame + (ulong)_layout.CFrameCurrentFrame, 8);
        }
        var used = work.ChunkTop - work.Chunk;
        var hasChunk = work.Chunk != 0 && work.ChunkTop > work.Chunk && used <= StackWalker.MaxChunkBytes;
        // A chunk copied ahead is used only if it was copied after the frame pointer this sample uses:
        // same chunk, top inside the copy, and the cframe (3.11/3.12) copied ahead too.
        var chunkAhead = hasChunk && slot >= 0 && _ahead[slot].ChunkRead >= 0 && _ahead[slot].Chunk == work.Chunk
            && work.ChunkTop - work.Chunk <= (ulong)_ahead[slot].ChunkLength && (cframeAhead || _layout.CFrameCurrentFrame < 0);
        if (chunkAhead)
        {
            work.ChunkRead = _ahead[slot].ChunkRead;
        }
        else
        {
            // 3.13+: current_frame again, in the same call as the chunk (not needed when nothing else is read).
            if (_layout.Frames == FrameStyle.InterpreterFrame && _layout.CFrameCurrentFrame < 0 && (slot < 0 || hasChunk))
            {
                work.FrameRead = _batch.Add(work.Address + (ulong)_layout.ThreadFrame, 8);
            }
            if (hasChunk)
            {
                _chunkSizes.TryGetValue(work.Chunk, out var size);
                var copy = CopyLength(work.Chunk, work.ChunkTop, size);
                if (_batch.TotalBytes + (long)copy <= StackWalker.MaxBatchBytes)
                {
                    work.TopRead = _batch.Add(work.Address + (ulong)_layout.ThreadDataStackChunk, 16);
                    work.ChunkRead = _batch.Add(work.Chunk, (int)copy);
                }
            }
        }
        if (_threads.PthreadTidOffset >= 0 && work.ThreadId != 0)
        {
            work.TidRead = slot >= 0 && _ahead[slot].TidRead >= 0 && _ahead[slot].ThreadId == work.ThreadId
                ? _ahead[slot].TidRead : _batch.Add(work.ThreadId + (ulong)_threads.PthreadTidOffset, 4);
        }
    }

    // No two threads share a frame, yet a chain read while it changes can lead into another thread's
    // frames, down to its base, and every frame there is live, so nothing else flags it. ≤3.10: busy
    // threads running the same code hand frame objects to each other (one free list). 3.11+: a thread
    // leaving a data-stack chunk frees (unmaps) it and the next chunk any thread pushes often gets the
    // same address, so a frame read after the pointer to it (singly, or the current frame re-read in
    // another call than the chunk) can be in another thread's chunk by then. So a chain is torn if it
    // ends at a base frame another chain of this sample ends at (which of the two is torn cannot be
    // told: both are dropped), or at the base another thread still listed is known to have. A base
    // nobody is known to have is trusted (and learned) only while no thread with frames was dropped
    // without a known base: that thread may own it, and a wrong base learned once would let its frames
    // pass as another's from then on. A thread dropped BrokenAfterWalks walks in a row stops counting:
    // tearing is momentary, so it is one this walker cannot read, and it must not hide every new thread.
    // (A chain cut short by a depth limit is not followed to its base, so does not count either.)
    private void DropForeignChains()
    {
        BasesKnown = true;
        _bases.Clear();
        _present.Clear();
        for (var i = 0; i < _threads.WorkCount; i++)
        {
            var work = _threads.Work[i];
            _present.Add(work.Address);
            if (work.Dropped || work.BaseFrame == 0)
            {
                continue;
            }
            if (!_bases.TryAdd(work.BaseFrame, work))
            {
                var first = _bases[work.BaseFrame];
                if (!first.Dropped)
                {
                    first.Dropped = true;
                    _counters.TornChains++;
                }
                work.Dropped = true;
                _counters.TornChains++;
            }
        }
        _knownOwners.Clear();
        foreach (var (_, owner) in _lastBases)
        {
            if (_present.Contains(owner))
            {
                _knownOwners.Add(owner);
            }
        }
        for (var i = 0; i < _threads.WorkCount; i++)
        {
            var work = _threads.Work[i];
            if (!work.Dropped && work.BaseFrame != 0 && _lastBases.TryGetValue(work.BaseFrame, out var owner)
                && owner != work.Address && _present.Contains(owner))
            {
                work.Dropped = true;
                _counters.TornChains++;
            }
        }
        var unaccounted = false;
        for (var i = 0; i < _threads.WorkCount; i++)
        {
            var work = _threads.Work[i];
            if (work.Dropped && work.Frame != 0 && !_knownOwners.Contains(work.Address))
            {
                _dropStreaks.TryGetValue(work.Address, out var streak);
                unaccounted |= streak + 1 < BrokenAfterWalks;
            }
        }
        Unaccounted = unaccounted;
        _nextBases.Clear();
        _owners.Clear();
        for (var i = 0; i < _threads.WorkCount; i++)
        {
            var work = _threads.Work[i];
            if (work.Dropped || work.BaseFrame == 0)
            {
                continue;
            }
            var own = _lastBases.TryGetValue(work.BaseFrame, out var owner) && owner == work.Address;
            if (!own && unaccounted)
            {
                work.Dropped = true;
                _counters.TornChains++;
                continue;
            }
            _nextBases[work.BaseFrame] = work.Address;
            _owners.Add(work.Address);
        }
        foreach (var (frame, owner) in _lastBases)
        {
            if (_present.Contains(owner) && !_owners.Contains(owner))
            {
                _nextBases.TryAdd(frame, owner);     // not seen whole this time: its base is still its own
                _owners.Add(owner);
            }
        }
        (_lastBases, _nextBases) = (_nextBases, _lastBases);
        _nextDropStreaks.Clear();
        for (var i = 0; i < _threads.WorkCount; i++)
        {
            var work = _threads.Work[i];
            if (work.Dropped)
            {
                _dropStreaks.TryGetValue(work.Address, out var streak);
                _nextDropStreaks[work.Address] = Math.Min(streak + 1, BrokenAfterWalks);
            }
        }
        (_dropStreaks, _nextDropStreaks) = (_nextDropStreaks, _dropStreaks);
        for (var i = 0; i < _threads.WorkCount && BasesKnown; i++)
        {
            BasesKnown = _threads.Work[i].Frame == 0 || _owners.Contains(_threads.Work[i].Address);
        }
    }

    private int QueueGil(ulong gil) => _batch.Add(gil + (ulong)_layout.GilLastHolder, gil == 0 ? 0 : _layout.GilLockedDelta + 4);

    // Frames read singly last time, then (last, so copied after the frames that point at them) the
    // code fingerprints step 4 checks: no call of their own while the stacks run the same code.
    private void QueueShared()
    {
        _walker.QueuePrefetched();
        _codes.QueuePrefetch();
    }

    // What the next sample's first call copies ahead, from this sample's thread states.
    private void RememberThreads()
    {
        var count = _threads.WorkCount;
        Grow(ref _ahead, count);
        _aheadSlots.Clear();
        for (var i = 0; i < count; i++)
        {
            var work = _threads.Work[i];
            var length = 0UL;
            if (work.Chunk != 0 && work.ChunkTop > work.Chunk && work.ChunkTop - work.Chunk <= StackWalker.MaxChunkBytes)
            {
                _chunkSizes.TryGetValue(work.Chunk, out var size);
                length = CopyLength(work.Chunk, work.ChunkTop, size);
            }
            _ahead[i] = new AheadThread
            {
                Address = work.Address, CFrame = work.CFrame, Chunk = work.Chunk, ChunkLength = (int)length, ThreadId = work.ThreadId,
                CFrameRead = -1, ChunkRead = -1, TidRead = -1,
            };
            _aheadSlots.Add(work.Address, i);
        }
        _aheadCount = count;
    }

    private static void Grow<T>(ref T[] array, int count)
    {
        if (array.Length < count)
        {
            Array.Resize(ref array, Math.Max(count, array.Length * 2));
        }
    }

    // The chunk header's size lets later samples read past `top`; a switched chunk drops the copy.
    private void RememberChunk(ThreadWork work)
    {
        if (!_batch.TryGet(work.ChunkRead, out var copy) || copy.Length < 24)
        {
            work.ChunkRead = -1;
            return;
        }
        if (work.TopRead >= 0 && _batch.TryGet(work.TopRead, out var now) && U64(now, 0) != work.Chunk)
        {
            work.ChunkRead = -1;                     // the thread moved to another chunk meanwhile
            return;
        }
        var size = U64(copy, 8);
        if (size >= work.ChunkTop - work.Chunk && size <= StackWalker.MaxChunkBytes)
        {
            if (_chunkSizes.Count >= MaxKnownChunks)
            {
                _chunkSizes.Clear();
            }
            _chunkSizes[work.Chunk] = size;
        }
    }

    /// <summary>
    /// How much of a chunk to copy for a given top: the used part, then the slack, but never past the
    /// chunk's size (one allocation, so all of it is mapped); with the size unknown (0), only the used part.
    /// </summary>
    internal static ulong CopyLength(ulong chunk, ulong top, ulong size)
    {
        var used = top - chunk;
        if (size < used)
        {
            return used;
        }
        var pageEnd = ((top - 1) | PageMask) + 1;
        var end = Math.Max(pageEnd, top + SlackMargin);
        return Math.Min(size, end - chunk);
    }

    private int IndexOfInterpreter(ulong address)
    {
        for (var i = 0; i < _threads.Interpreters.Count; i++)
        {
            if (_threads.Interpreters[i].Address == address)
            {
                return i;
            }
        }
        return -1;
    }

    private static ulong U64(ReadOnlySpan<byte> data, int offset) => BinaryPrimitives.ReadUInt64LittleEndian(data.Slice(offset, 8));

    private static int I32(ReadOnlySpan<byte> data, int offset) => BinaryPrimitives.ReadInt32LittleEndian(data.Slice(offset, 4));
}
