using System.Buffers.Binary;
using Pyrometer.Sampling.Memory;
using Pyrometer.Sampling.Target;

namespace Pyrometer.Sampling.Python;

/// <summary>
/// Walks every interpreter → thread state → frame of one target process and returns each thread's
/// Python stack. Built for few system calls: a steady-state sample of 3.11+ makes two, whatever the
/// depth: the interpreters with every thread state at its cached address; then all data-stack chunks,
/// cframes, GIL, out-of-chunk frames and the fingerprints of the last sample's code objects (none on
/// 3.14+ while the code-object generation counter proves them fresh). New threads or code objects
/// cost more calls in the sample that meets them. Nothing read is trusted: a thread whose stack does not add up is dropped and
/// counted; only programming errors throw.
/// </summary>
internal sealed class StackWalker
{
    public const int MaxThreads = 4096;
    public const int MaxDepth = 4096;
    public const int MaxInterpreters = 256;
    public const int MaxCachedCodes = 16384;
    public const int MaxChunkBytes = 1 << 20;
    public const int MaxBatchBytes = 16 << 20;
    public const int MaxPrefetchFrames = 8192;

    /// <summary>How much of the main thread's <c>struct pthread</c> is searched for its TID (glibc 2.36 has it at 720).</summary>
    public const int PthreadScanBytes = 2048;

    // The main thread may be missing from a torn first sample; a few retries, then live without TIDs.
    private const int MaxTidAttempts = 3;

    /// <summary>
    /// Bytes read past <c>datastack_top</c> (within the chunk's known size) so frames pushed between
    /// reading the thread state and copying the chunk are still in the copy.
    /// </summary>
    private const int ChunkSlack = 8 << 10;

    private const int MaxKnownChunks = 4096;

    /// <summary>Code objects of the last sample whose fingerprints are re-read with the frames, ahead of need.</summary>
    private const int MaxPrefetchCodes = 4096;

    private readonly IProcessMemory _memory;
    private readonly PythonLayout _layout;
    private readonly ulong _runtime;
    private readonly ulong _codeType;
    private readonly ulong _unicodeType;
    private readonly ulong _bytesType;
    private readonly ReadBatch _batch = new();
    private readonly List<InterpreterInfo> _interpreters = [];
    private readonly Dictionary<ulong, List<ulong>> _threadLists = [];
    private readonly Dictionary<ulong, int> _queuedThreads = [];
    private readonly List<ThreadWork> _work = [];
    private readonly Dictionary<ulong, CodeInfo> _codes = [];
    private readonly Dictionary<ulong, ulong> _tlbcBases = [];
    private readonly Dictionary<ulong, ulong> _chunkSizes = [];
    private readonly Dictionary<ulong, int> _queuedFrames = [];
    private readonly HashSet<ulong> _visited = [];
    private readonly HashSet<ulong> _seenCodes = [];
    private readonly HashSet<ulong> _badCodes = [];
    private readonly List<ulong> _codesToRead = [];
    private readonly Dictionary<ulong, int> _queuedCodes = [];
    private readonly List<PendingCode> _pending = [];
    private readonly List<PythonFrame> _frames = [];
    private readonly byte[] _scratch;
    private readonly HashSet<ulong> _lastCodes = [];
    private HashSet<ulong> _prefetch = [];
    private HashSet<ulong> _prefetchNext = [];
    private Dictionary<ulong, ThreadStack> _lastStacks = [];
    private Dictionary<ulong, ThreadStack> _nextStacks = [];
    private ulong _generation = ulong.MaxValue;
    private bool _generationFresh;
    private bool _threadsQueued;
    private int _workCount;
    private int _tidOffset = -1;
    private int _tidAttempts;

    public StackWalker(IProcessMemory memory, InterpreterLocation location, PythonLayout layout)
    {
        ArgumentNullException.ThrowIfNull(memory);
        ArgumentNullException.ThrowIfNull(location);
        ArgumentNullException.ThrowIfNull(layout);
        _memory = memory;
        _layout = layout;
        _runtime = location.RuntimeAddress;
        _codeType = location.Symbol("PyCode_Type") ?? 0;
        _unicodeType = location.Symbol("PyUnicode_Type") ?? 0;
        _bytesType = location.Symbol("PyBytes_Type") ?? 0;
        _scratch = new byte[Math.Max(PthreadScanBytes, Math.Max(layout.ThreadReadLength, layout.FrameReadLength))];
    }

    public WalkerCounters Counters { get; } = new();

    /// <summary>Memory reads (system calls) made by the last <see cref="Sample"/>.</summary>
    public long LastSampleCalls { get; private set; }

    /// <summary>The TID offset learned inside glibc's <c>struct pthread</c> (≤3.10), or -1.</summary>
    public int PthreadTidOffset => _tidOffset;

    /// <summary>Takes one sample of every thread of every interpreter.</summary>
    public StackSample Sample()
    {
        var before = _memory.CallCount;
        var error = Walk(out var threads, out var dropped, out var truncated);
        var calls = _memory.CallCount - before;
        LastSampleCalls = calls;
        Counters.Samples++;
        Counters.Calls += calls;
        Counters.DroppedThreads += dropped;
        Counters.TruncatedThreads += truncated;
        if (error != SampleError.None)
        {
            Counters.FailedSamples++;
        }
        return new StackSample(error, threads, dropped, truncated, calls);
    }

    private SampleError Walk(out IReadOnlyList<ThreadStack> threads, out int dropped, out int truncated)
    {
        threads = [];
        dropped = 0;
        truncated = 0;
        _workCount = 0;

        var error = ReadInterpreters(out var gilHolder, out var gilLocked);
        if (error != SampleError.None)
        {
            return error;
        }
        error = ReadThreads(ref dropped);
        if (error != SampleError.None)
        {
            return error;
        }
        if (_layout.ThreadNativeId == PythonLayout.Absent && _tidOffset < 0 && _tidAttempts < MaxTidAttempts && _workCount > 0)
        {
            error = LearnPthreadTidOffset();
            if (error.IsFatal())
            {
                return error;
            }
        }
        error = ReadThreadData(gilHolder, gilLocked);
        if (error != SampleError.None)
        {
            return error;
        }
        error = ResolveCodes();
        if (error != SampleError.None)
        {
            return error;
        }

        var result = new List<ThreadStack>(_workCount);
        for (var i = 0; i < _workCount; i++)
        {
            var work = _work[i];
            if (work.Dropped || !BuildStack(work, out var stack))
            {
                dropped++;
                continue;
            }
            if (work.Truncated)
            {
                truncated++;
            }
            result.Add(stack);
        }
        (_lastStacks, _nextStacks) = (_nextStacks, _lastStacks);
        _nextStacks.Clear();
        (_prefetch, _prefetchNext) = (_prefetchNext, _prefetch);
        _prefetchNext.Clear();
        threads = result;
        return SampleError.None;
    }

    // Step 1: the interpreter list, checked against the cached chain with one call.
    private SampleError ReadInterpreters(out ulong gilHolder, out bool gilLocked)
    {
        gilHolder = 0;
        gilLocked = false;
        _batch.Clear();
        var head = _batch.Add(_runtime + (ulong)_layout.RuntimeInterpretersHead, 8);
        var gil = _layout.Gil == GilStyle.RuntimeGil ? _batch.Add(_runtime + (ulong)_layout.RuntimeGilLastHolder, _layout.GilLockedDelta + 4) : -1;
        var first = _batch.Count;
        foreach (var interpreter in _interpreters)
        {
            QueueInterpreter(interpreter.Address);
        }
        // Queued last, so copied after the list heads they hang from; used only if the chain holds.
        QueueCachedThreads();
        var status = _batch.Execute(_memory);
        if (status != ReadStatus.Ok)
        {
            return status.ToSampleError();
        }
        if (!_batch.TryGet(head, out var headData))
        {
            return SampleError.TornRead;
        }
        if (gil >= 0 && _batch.TryGet(gil, out var gilData))
        {
            gilHolder = U64(gilData, 0);
            gilLocked = I32(gilData, _layout.GilLockedDelta) != 0;
        }
        var headAddress = U64(headData, 0);
        if (headAddress == 0)
        {
            _threadsQueued = false;
            _interpreters.Clear();
            _threadLists.Clear();
            return SampleError.NoInterpreter;
        }

        var chainHolds = _interpreters.Count > 0 && _interpreters[0].Address == headAddress;
        for (var i = 0; chainHolds && i < _interpreters.Count; i++)
        {
            if (!ParseInterpreter(_interpreters[i].Address, first + i * InterpreterSpans, out var info))
            {
                chainHolds = false;
                break;
            }
            var expectedNext = i + 1 < _interpreters.Count ? _interpreters[i + 1].Address : 0;
            chainHolds = info.Next == expectedNext;
            _interpreters[i] = info;
        }
        if (chainHolds)
        {
            _threadsQueued = true;
            return SampleError.None;
        }
        _threadsQueued = false;
        return RediscoverInterpreters(headAddress);
    }

    private void QueueCachedThreads()
    {
        _queuedThreads.Clear();
        foreach (var interpreter in _interpreters)
        {
            if (_threadLists.TryGetValue(interpreter.Address, out var cached))
            {
                foreach (var address in cached)
                {
                    _queuedThreads.TryAdd(address, _batch.Add(address, _layout.ThreadReadLength));
                }
            }
        }
    }

    private const int InterpreterSpans = 4;

    private void QueueInterpreter(ulong address)
    {
        _batch.Add(address + (ulong)_layout.InterpreterNext, 8);
        _batch.Add(address + (ulong)_layout.InterpreterThreadsHead, 8);
        _batch.Add(address + (ulong)Math.Max(0, _layout.InterpreterGilPointer), _layout.InterpreterGilPointer >= 0 ? 8 : 0);
        _batch.Add(address + (ulong)Math.Max(0, _layout.InterpreterCodeGeneration), _layout.InterpreterCodeGeneration >= 0 ? 8 : 0);
    }

    private bool ParseInterpreter(ulong address, int first, out InterpreterInfo info)
    {
        info = default;
        if (!_batch.TryGet(first, out var next) || !_batch.TryGet(first + 1, out var threads)
            || !_batch.TryGet(first + 2, out var gil) || !_batch.TryGet(first + 3, out var generation))
        {
            return false;
        }
        info = new InterpreterInfo(address, U64(next, 0), U64(threads, 0),
            gil.Length == 8 ? U64(gil, 0) : 0, generation.Length == 8 ? U64(generation, 0) : 0);
        return true;
    }

    // The cached chain no longer matches: follow `next` one interpreter per call (rare: start-up, subinterpreters).
    private SampleError RediscoverInterpreters(ulong head)
    {
        _interpreters.Clear();
        _visited.Clear();
        var address = head;
        while (address != 0)
        {
            if (_interpreters.Count >= MaxInterpreters || !_visited.Add(address))
            {
                return SampleError.InvalidData;
            }
            _batch.Clear();
            QueueInterpreter(address);
            var status = _batch.Execute(_memory);
            if (status != ReadStatus.Ok)
            {
                return status.ToSampleError();
            }
            if (!ParseInterpreter(address, 0, out var info))
            {
                _interpreters.Clear();
                return SampleError.TornRead;
            }
            _interpreters.Add(info);
            address = info.Next;
        }
        foreach (var stale in _threadLists.Keys.Where(k => !_interpreters.Exists(i => i.Address == k)).ToList())
        {
            _threadLists.Remove(stale);
        }
        return SampleError.None;
    }

    // Step 2: every thread state at its cached address, read with the interpreters (or in one call of
    // its own after the chain changed); new ones are read singly.
    private SampleError ReadThreads(ref int dropped)
    {
        UpdateGeneration();
        if (!_threadsQueued)
        {
            _batch.Clear();
            QueueCachedThreads();
            var status = _batch.Execute(_memory);
            if (status != ReadStatus.Ok)
            {
                return status.ToSampleError();
            }
        }

        _visited.Clear();
        var total = 0;
        foreach (var interpreter in _interpreters)
        {
            if (!_threadLists.TryGetValue(interpreter.Address, out var list))
            {
                list = [];
                _threadLists[interpreter.Address] = list;
            }
            list.Clear();
            var address = interpreter.ThreadsHead;
            while (address != 0)
            {
                if (total >= MaxThreads)
                {
                    dropped++;                       // the cap: the rest of the list is not looked at
                    break;
                }
                if (!_visited.Add(address))
                {
                    dropped++;                       // a cycle: the list changed under us
                    break;
                }
                ReadOnlySpan<byte> state;
                if (_queuedThreads.TryGetValue(address, out var index) && _batch.TryGet(index, out var queued))
                {
                    state = queued;
                }
                else
                {
                    var single = _memory.ReadExact(address, _scratch.AsSpan(0, _layout.ThreadReadLength));
                    if (single.ToSampleError().IsFatal())
                    {
                        return single.ToSampleError();
                    }
                    if (single != ReadStatus.Ok)
                    {
                        dropped++;
                        break;
                    }
                    state = _scratch.AsSpan(0, _layout.ThreadReadLength);
                }
                if (U64(state, _layout.ThreadInterp) != interpreter.Address)
                {
                    dropped++;                       // freed or reused memory: the back-pointer must match
                    break;
                }
                var work = NextWork(address, interpreter.Address);
                ParseThread(work, state);
                list.Add(address);
                total++;
                address = U64(state, _layout.ThreadNext);
            }
        }
        return SampleError.None;
    }

    private void UpdateGeneration()
    {
        _generationFresh = false;
        if (_layout.InterpreterCodeGeneration < 0)
        {
            return;
        }
        // Code objects of every interpreter share one cache, so any interpreter's counter moving
        // flushes it; folding the counters into one number (a prime multiplier keeps them apart) is enough.
        var generation = 0UL;
        foreach (var interpreter in _interpreters)
        {
            generation = generation * 1_000_003 + interpreter.CodeGeneration;
        }
        if (generation != _generation)
        {
            Counters.CodeCacheInvalidations += _codes.Count;
            _codes.Clear();
            _tlbcBases.Clear();
            _generation = generation;
        }
        _generationFresh = true;
    }

    private ThreadWork NextWork(ulong address, ulong interpreter)
    {
        if (_workCount == _work.Count)
        {
            _work.Add(new ThreadWork());
        }
        var work = _work[_workCount++];
        work.Reset(address, interpreter);
        return work;
    }

    private void ParseThread(ThreadWork work, ReadOnlySpan<byte> state)
    {
        work.ThreadId = U64(state, _layout.ThreadId);
        work.Frame = U64(state, _layout.ThreadFrame);
        if (_layout.ThreadNativeId >= 0)
        {
            var native = U64(state, _layout.ThreadNativeId);
            work.NativeThreadId = native <= int.MaxValue ? (int)native : 0;
        }
        if (_layout.ThreadDataStackChunk >= 0)
        {
            work.Chunk = U64(state, _layout.ThreadDataStackChunk);
            work.ChunkTop = U64(state, _layout.ThreadDataStackChunk + 8);
        }
        work.HoldsGil = _layout.Gil switch
        {
            GilStyle.StatusBit => ((I32(state, _layout.ThreadGilField) >> _layout.HoldsGilBit) & 1) != 0,
            GilStyle.HoldsGilField => I32(state, _layout.ThreadGilField) != 0,
            _ => false,
        };
    }

    // ≤3.10 have no native_thread_id: find the PID inside the main thread's struct pthread (the main
    // thread's TID equals the PID) and read every thread's TID at that offset from then on.
    private SampleError LearnPthreadTidOffset()
    {
        _tidAttempts++;
        var main = _work[_workCount - 1];
        for (var i = 0; i < _workCount; i++)
        {
            if (_work[i].Interpreter == _interpreters[^1].Address)
            {
                main = _work[i];                     // the last thread of the main interpreter is the oldest
            }
        }
        if (main.ThreadId == 0)
        {
            return SampleError.None;
        }
        var status = _memory.ReadExact(main.ThreadId, _scratch.AsSpan(0, PthreadScanBytes));
        if (status != ReadStatus.Ok)
        {
            return status.ToSampleError();
        }
        for (var offset = 8; offset + 4 <= PthreadScanBytes; offset += 4)
        {
            if (I32(_scratch, offset) == _memory.ProcessId)
            {
                _tidOffset = offset;
                return SampleError.None;
            }
        }
        return SampleError.None;
    }

    // Step 3: per thread, everything that depends only on the thread state, in one call.
    private SampleError ReadThreadData(ulong gilHolder, bool gilLocked)
    {
        _batch.Clear();
        _queuedFrames.Clear();
        for (var i = 0; i < _workCount; i++)
        {
            var work = _work[i];
            if (_layout.CFrameCurrentFrame >= 0 && work.Frame != 0)
            {
                work.CFrameRead = _batch.Add(work.Frame + (ulong)_layout.CFrameCurrentFrame, 8);
            }
            if (_layout.Frames == FrameStyle.InterpreterFrame && _layout.CFrameCurrentFrame < 0)
            {
                work.FrameRead = _batch.Add(work.Address + (ulong)_layout.ThreadFrame, 8);
            }
            var chunkBytes = work.ChunkTop - work.Chunk;
            if (work.Chunk != 0 && work.ChunkTop > work.Chunk && chunkBytes <= MaxChunkBytes
                && _batch.TotalBytes + (long)chunkBytes + ChunkSlack <= MaxBatchBytes)
            {
                if (_chunkSizes.TryGetValue(work.Chunk, out var size))
                {
                    chunkBytes = Math.Min(size, chunkBytes + ChunkSlack);   // the chunk is one allocation: all of it is mapped
                }
                work.TopRead = _batch.Add(work.Address + (ulong)_layout.ThreadDataStackChunk, 16);
                work.ChunkRead = _batch.Add(work.Chunk, (int)chunkBytes);
            }
            if (_tidOffset >= 0 && work.ThreadId != 0)
            {
                work.TidRead = _batch.Add(work.ThreadId + (ulong)_tidOffset, 4);
            }
        }
        var gilFirst = _batch.Count;
        if (_layout.Gil == GilStyle.InterpreterGilPointer)
        {
            foreach (var interpreter in _interpreters)
            {
                _batch.Add(interpreter.Gil + (ulong)_layout.GilLastHolder, interpreter.Gil == 0 ? 0 : _layout.GilLockedDelta + 4);
            }
        }
        foreach (var frame in _prefetch)
        {
            _queuedFrames[frame] = _batch.Add(frame, _layout.FrameReadLength);
        }
        // Last, so copied after the frames that point at them: the fingerprint check of step 4 then
        // needs no call of its own while the stacks run the same code.
        _queuedCodes.Clear();
        if (!_generationFresh)
        {
            foreach (var code in _lastCodes)
            {
                _queuedCodes[code] = _batch.Add(code, _layout.CodeReadLength);
            }
        }
        var status = _batch.Execute(_memory);
        if (status != ReadStatus.Ok)
        {
            return status.ToSampleError();
        }

        for (var i = 0; i < _workCount; i++)
        {
            var work = _work[i];
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
                    work.HoldsGil = index >= 0 && _batch.TryGet(gilFirst + index, out var gil) && gil.Length > 0
                        && I32(gil, _layout.GilLockedDelta) != 0 && U64(gil, 0) == work.Address;
                    break;
                default:
                    break;
            }
            var error = WalkFrames(work);
            if (error.IsFatal())
            {
                return error;
            }
        }
        return SampleError.None;
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
        if (size >= work.ChunkTop - work.Chunk && size <= MaxChunkBytes)
        {
            if (_chunkSizes.Count >= MaxKnownChunks)
            {
                _chunkSizes.Clear();
            }
            _chunkSizes[work.Chunk] = size;
        }
    }

    private int IndexOfInterpreter(ulong address)
    {
        for (var i = 0; i < _interpreters.Count; i++)
        {
            if (_interpreters[i].Address == address)
            {
                return i;
            }
        }
        return -1;
    }

    private SampleError WalkFrames(ThreadWork work)
    {
        _visited.Clear();
        ReadOnlySpan<byte> chunk = default;
        if (work.ChunkRead >= 0 && _batch.TryGet(work.ChunkRead, out var copy))
        {
            chunk = copy;
        }
        var address = work.Frame;
        var depth = 0;
        while (address != 0)
        {
            if (depth++ >= MaxDepth)
            {
                work.Truncated = true;
                break;
            }
            if (!_visited.Add(address))
            {
                work.Dropped = true;                 // a frame chain that loops is torn
                Counters.InvalidFrames++;
                break;
            }
            ReadOnlySpan<byte> frame;
            var offset = address - work.Chunk;
            if (!chunk.IsEmpty && address >= work.Chunk && offset + (ulong)_layout.FrameReadLength <= (ulong)chunk.Length)
            {
                frame = chunk.Slice((int)offset, _layout.FrameReadLength);
            }
            else
            {
                if (_prefetchNext.Count < MaxPrefetchFrames)
                {
                    _prefetchNext.Add(address);      // outside any bulk copy: read with the next sample's batch
                }
                if (_queuedFrames.TryGetValue(address, out var queued) && _batch.TryGet(queued, out var prefetched))
                {
                    frame = prefetched;
                }
                else
                {
                    var status = _memory.ReadExact(address, _scratch.AsSpan(0, _layout.FrameReadLength));
                    if (status != ReadStatus.Ok)
                    {
                        work.Dropped = true;
                        Counters.UnreadableFrames++;
                        return status.ToSampleError();
                    }
                    frame = _scratch.AsSpan(0, _layout.FrameReadLength);
                }
            }
            if (!ParseFrame(work, frame))
            {
                work.Dropped = true;
                Counters.InvalidFrames++;
                break;
            }
            address = U64(frame, _layout.FramePrevious);
        }
        return SampleError.None;
    }

    private bool ParseFrame(ThreadWork work, ReadOnlySpan<byte> frame)
    {
        var bits = U64(frame, _layout.FrameCode);
        if (_layout.Frames == FrameStyle.FrameObject)
        {
            if (bits == 0)
            {
                return false;
            }
            work.Frames.Add(new RawFrame(bits, I32(frame, _layout.FrameInstruction), 0));
            return true;
        }
        var owner = frame[_layout.FrameOwner];
        if (owner > _layout.MaxOwner)
        {
            return false;                            // not a frame-owner value: garbage
        }
        if (owner >= _layout.FirstSkippedOwner)
        {
            return true;                             // a shim/C-stack/interpreter frame, not Python code
        }
        var code = _layout.TaggedReferences ? StackRefs.ToObject(bits) : bits;
        if (code == 0)
        {
            return false;
        }
        var tlbc = _layout.FrameTlbcIndex >= 0 ? I32(frame, _layout.FrameTlbcIndex) : 0;
        work.Frames.Add(new RawFrame(code, (long)U64(frame, _layout.FrameInstruction), tlbc));
        return true;
    }

    // Step 4: code objects. Cached ones are re-checked with one scatter read of their fingerprints
    // (skipped on 3.14+ while the interpreter's code-object generation is unchanged); new ones are
    // resolved together: code structs, then string/bytes headers, then their data (three calls).
    private SampleError ResolveCodes()
    {
        _seenCodes.Clear();
        _badCodes.Clear();
        _codesToRead.Clear();
        _pending.Clear();
        for (var i = 0; i < _workCount; i++)
        {
            var work = _work[i];
            if (work.Dropped)
            {
                continue;
            }
            foreach (var frame in work.Frames)
            {
                if (!_seenCodes.Add(frame.Code) || (_generationFresh && _codes.ContainsKey(frame.Code)))
                {
                    continue;
                }
                if (_queuedCodes.TryGetValue(frame.Code, out var queued) && _batch.TryGet(queued, out var prefetched))
                {
                    CheckCode(frame.Code, prefetched);   // read with the frames in step 3
                }
                else
                {
                    _codesToRead.Add(frame.Code);
                }
            }
        }
        if (_codesToRead.Count > 0)
        {
            _batch.Clear();
            foreach (var code in _codesToRead)
            {
                _batch.Add(code, _layout.CodeReadLength);
            }
            var status = _batch.Execute(_memory);
            if (status != ReadStatus.Ok)
            {
                return status.ToSampleError();
            }
            for (var i = 0; i < _codesToRead.Count; i++)
            {
                CheckCode(_codesToRead[i], _batch.TryGet(i, out var data) ? data : default);
            }
        }
        var error = _pending.Count == 0 ? SampleError.None : ResolvePending();
        if (error == SampleError.None)
        {
            RememberCodes();
        }
        return error;
    }

    // A code object read now: still the cached one, replaced (freed and reused), new, or not a code object.
    private void CheckCode(ulong code, ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty || !TryFingerprint(data, out var fingerprint))
        {
            _badCodes.Add(code);
            return;
        }
        if (_codes.TryGetValue(code, out var cached))
        {
            if (cached.Fingerprint == fingerprint)
            {
                return;
            }
            _codes.Remove(code);                     // freed and reused for another code object
            Counters.CodeCacheInvalidations++;
        }
        _pending.Add(new PendingCode(code, fingerprint));
    }

    // This sample's good code objects are the ones the next sample's step 3 re-reads ahead of need.
    private void RememberCodes()
    {
        _lastCodes.Clear();
        foreach (var code in _seenCodes)
        {
            if (_lastCodes.Count >= MaxPrefetchCodes)
            {
                break;
            }
            if (!_badCodes.Contains(code))
            {
                _lastCodes.Add(code);
            }
        }
    }

    private bool TryFingerprint(ReadOnlySpan<byte> code, out CodeFingerprint fingerprint)
    {
        var l = _layout;
        fingerprint = new CodeFingerprint(
            U64(code, l.ObjectType), U64(code, l.CodeFilename), U64(code, l.CodeName),
            l.CodeQualname >= 0 ? U64(code, l.CodeQualname) : 0, U64(code, l.CodeLineTable),
            l.CodeBytecode >= 0 ? U64(code, l.CodeBytecode) : 0,
            (long)U64(code, l.VarObjectSize), I32(code, l.CodeFirstLineNo));
        var typeOk = _codeType == 0 ? fingerprint.Type != 0 : fingerprint.Type == _codeType;
        var sizeOk = l.CodeAdaptive < 0 || fingerprint.Size is > 0 and < 1 << 24;
        return typeOk && sizeOk && fingerprint.Filename != 0 && fingerprint.Name != 0 && fingerprint.LineTable != 0
            && (l.CodeQualname < 0 || fingerprint.Qualname != 0) && (l.CodeBytecode < 0 || fingerprint.Bytecode != 0)
            && fingerprint.FirstLine >= 0;
    }

    private SampleError ResolvePending()
    {
        Counters.CodeCacheMisses += _pending.Count;
        var l = _layout;
        _batch.Clear();
        foreach (var p in _pending)
        {
            p.FileHeader = _batch.Add(p.Fingerprint.Filename, l.UnicodeHeaderLength);
            p.NameHeader = _batch.Add(p.Fingerprint.Name, l.UnicodeHeaderLength);
            p.QualnameHeader = l.CodeQualname >= 0 ? _batch.Add(p.Fingerprint.Qualname, l.UnicodeHeaderLength) : -1;
            p.LinesHeader = _batch.Add(p.Fingerprint.LineTable, l.BytesData);
            p.BytecodeHeader = l.CodeBytecode >= 0 ? _batch.Add(p.Fingerprint.Bytecode, l.BytesData) : -1;
        }
        var status = _batch.Execute(_memory);
        if (status != ReadStatus.Ok)
        {
            return status.ToSampleError();
        }
        foreach (var p in _pending)
        {
            p.Ok = ParseString(p.FileHeader, out p.File) && ParseString(p.NameHeader, out p.Name)
                && (p.QualnameHeader < 0 || ParseString(p.QualnameHeader, out p.Qualname))
                && ParseBytes(p.LinesHeader, out p.Lines) && (p.BytecodeHeader < 0 || ParseBytes(p.BytecodeHeader, out p.Bytecode));
        }

        _batch.Clear();
        foreach (var p in _pending.Where(p => p.Ok))
        {
            p.File.Index = _batch.Add(p.Fingerprint.Filename + (ulong)p.File.Offset, p.File.Length);
            p.Name.Index = _batch.Add(p.Fingerprint.Name + (ulong)p.Name.Offset, p.Name.Length);
            p.Qualname.Index = p.QualnameHeader >= 0 ? _batch.Add(p.Fingerprint.Qualname + (ulong)p.Qualname.Offset, p.Qualname.Length) : -1;
            p.Lines.Index = _batch.Add(p.Fingerprint.LineTable + (ulong)l.BytesData, p.Lines.Length);
        }
        status = _batch.Execute(_memory);
        if (status != ReadStatus.Ok)
        {
            return status.ToSampleError();
        }
        foreach (var p in _pending)
        {
            var info = p.Ok ? Build(p) : null;
            if (info is null)
            {
                _badCodes.Add(p.Address);
                continue;
            }
            if (_codes.Count >= MaxCachedCodes)
            {
                _codes.Clear();                      // bounded memory: start over rather than grow
                _tlbcBases.Clear();
            }
            _codes[p.Address] = info;
        }
        return SampleError.None;
    }

    private bool ParseString(int header, out Piece piece)
    {
        piece = default;
        if (!_batch.TryGet(header, out var data) || (_unicodeType != 0 && U64(data, _layout.ObjectType) != _unicodeType))
        {
            return false;
        }
        if (!PythonStrings.TryParseHeader(data, _layout, out var offset, out var length, out var kind))
        {
            return false;
        }
        piece = new Piece { Offset = offset, Length = length, Kind = kind };
        return true;
    }

    private bool ParseBytes(int header, out Piece piece)
    {
        piece = default;
        if (!_batch.TryGet(header, out var data) || (_bytesType != 0 && U64(data, _layout.ObjectType) != _bytesType))
        {
            return false;
        }
        if (!PythonStrings.TryParseBytesHeader(data, _layout, out var length))
        {
            return false;
        }
        piece = new Piece { Offset = _layout.BytesData, Length = length };
        return true;
    }

    private CodeInfo? Build(PendingCode p)
    {
        if (!Decode(p.File, out var file) || !Decode(p.Name, out var name))
        {
            return null;
        }
        var qualname = name;
        if (p.QualnameHeader >= 0 && !Decode(p.Qualname, out qualname))
        {
            return null;
        }
        if (!_batch.TryGet(p.Lines.Index, out var table))
        {
            return null;
        }
        var lines = LineTable.Decode(_layout.LineTable, table, p.Fingerprint.FirstLine);
        if (lines is null)
        {
            return null;
        }
        var limit = _layout.LineTable switch
        {
            LineTableFormat.Locations => (int)p.Fingerprint.Size,
            LineTableFormat.LineTable310 => p.Bytecode.Length / 2,
            _ => p.Bytecode.Length,
        };
        return new CodeInfo(p.Fingerprint, name, qualname, file, lines, limit);
    }

    private bool Decode(Piece piece, out string text)
    {
        text = "";
        return _batch.TryGet(piece.Index, out var data) && PythonStrings.TryDecode(data, piece.Kind, out text);
    }

    // Step 5: raw frames → shared PythonFrame instances; an unchanged stack reuses last sample's ThreadStack.
    private bool BuildStack(ThreadWork work, out ThreadStack stack)
    {
        stack = null!;
        _frames.Clear();
        foreach (var raw in work.Frames)
        {
            if (_badCodes.Contains(raw.Code) || !_codes.TryGetValue(raw.Code, out var code))
            {
                Counters.InvalidCodes++;
                return false;
            }
            if (!TryInstructionIndex(raw, out var index) || index < -1 || index >= code.InstructionLimit)
            {
                Counters.InvalidInstructions++;
                return false;
            }
            _frames.Add(code.FrameAt(code.Lines.LineAt(index)));
        }
        if (_lastStacks.TryGetValue(work.Address, out var last) && last.ThreadId == work.ThreadId
            && last.NativeThreadId == work.NativeThreadId && last.HoldsGil == work.HoldsGil && SameFrames(last.Frames))
        {
            stack = last;
        }
        else
        {
            stack = new ThreadStack(work.ThreadId, work.NativeThreadId, work.HoldsGil, _frames.ToArray());
        }
        _nextStacks[work.Address] = stack;
        return true;
    }

    private bool SameFrames(IReadOnlyList<PythonFrame> frames)
    {
        if (frames.Count != _frames.Count)
        {
            return false;
        }
        for (var i = 0; i < frames.Count; i++)
        {
            if (!ReferenceEquals(frames[i], _frames[i]))
            {
                return false;
            }
        }
        return true;
    }

    private bool TryInstructionIndex(RawFrame raw, out int index)
    {
        index = 0;
        if (_layout.Frames == FrameStyle.FrameObject)
        {
            index = (int)raw.Instruction;            // f_lasti: bytes (3.8/3.9) or code units (3.10); -1 = not started
            return true;
        }
        var start = raw.Code + (ulong)_layout.CodeAdaptive;
        if (raw.TlbcIndex > 0 && !TryTlbcBase(raw.Code, raw.TlbcIndex, out start))
        {
            return false;
        }
        var delta = raw.Instruction - (long)start;
        if ((delta & 1) != 0 || delta < -2 || delta > int.MaxValue)
        {
            return false;
        }
        index = (int)(delta / 2);                    // prev_instr one unit before the start = -1 (not started)
        return true;
    }

    // 3.14t: a thread may run its own copy of the bytecode; co_tlbc's entries start 8 bytes in.
    private bool TryTlbcBase(ulong code, int tlbcIndex, out ulong start)
    {
        start = 0;
        if (_layout.CodeTlbc < 0 || tlbcIndex > 4096)
        {
            return false;
        }
        var key = code * 4099 + (ulong)tlbcIndex;   // 4099 > the largest accepted index, so keys of one code never collide
        if (_tlbcBases.TryGetValue(key, out start))
        {
            return true;
        }
        if (!_memory.TryReadUInt64(code + (ulong)_layout.CodeTlbc, out var array) || array == 0
            || !_memory.TryReadInt64(array, out var size) || tlbcIndex >= size
            || !_memory.TryReadUInt64(array + 8 + 8 * (ulong)tlbcIndex, out start) || start == 0)
        {
            return false;
        }
        _tlbcBases[key] = start;
        return true;
    }

    private static ulong U64(ReadOnlySpan<byte> data, int offset) => BinaryPrimitives.ReadUInt64LittleEndian(data.Slice(offset, 8));

    private static int I32(ReadOnlySpan<byte> data, int offset) => BinaryPrimitives.ReadInt32LittleEndian(data.Slice(offset, 4));

    private readonly record struct InterpreterInfo(ulong Address, ulong Next, ulong ThreadsHead, ulong Gil, ulong CodeGeneration);

    private struct Piece
    {
        public int Offset;
        public int Length;
        public int Kind;
        public int Index;
    }

    private sealed class PendingCode(ulong address, CodeFingerprint fingerprint)
    {
        public ulong Address { get; } = address;

        public CodeFingerprint Fingerprint { get; } = fingerprint;

        public bool Ok { get; set; }

        public int FileHeader { get; set; }

        public int NameHeader { get; set; }

        public int QualnameHeader { get; set; }

        public int LinesHeader { get; set; }

        public int BytecodeHeader { get; set; }

        public Piece File;
        public Piece Name;
        public Piece Qualname;
        public Piece Lines;
        public Piece Bytecode;
    }
}
