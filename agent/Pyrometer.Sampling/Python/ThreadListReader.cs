using System.Buffers.Binary;
using Pyrometer.Sampling.Memory;
using Pyrometer.Sampling.Sampling;

namespace Pyrometer.Sampling.Python;

/// <summary>
/// Steps 1 and 2 of a sample (see <see cref="StackWalker"/>): the interpreters, the GIL and every
/// thread state, in one call while the cached interpreter chain and thread addresses hold. Each
/// thread found becomes a <see cref="ThreadWork"/> for the later steps. On ≤3.10, which record no
/// native thread ID, it also learns where glibc keeps the TID.
/// </summary>
internal sealed class ThreadListReader
{
    private const int InterpreterSpans = 4;

    // The main thread may be missing from a torn first sample; a few retries, then live without TIDs.
    private const int MaxTidAttempts = 3;

    private readonly IProcessMemory _memory;
    private readonly PythonLayout _layout;
    private readonly ulong _runtime;
    private readonly ReadBatch _batch;
    private readonly List<InterpreterInfo> _interpreters = [];
    private readonly Dictionary<ulong, List<ulong>> _threadLists = [];
    private readonly AddressIndex _queuedThreads = new();
    private readonly HashSet<ulong> _visited = [];
    private readonly List<ThreadWork> _work = [];
    private readonly byte[] _scratch;
    private bool _threadsQueued;
    private int _workCount;
    private int _tidOffset = -1;
    private int _tidAttempts;
    private int? _ownProcessId;
    private int _tidWait;   // samples to let pass before trying to learn the TID offset again

    public ThreadListReader(IProcessMemory memory, PythonLayout layout, ulong runtime, ReadBatch batch)
    {
        _memory = memory;
        _layout = layout;
        _runtime = runtime;
        _batch = batch;
        _scratch = new byte[Math.Max(StackWalker.PthreadScanBytes, layout.ThreadReadLength)];
    }

    public IReadOnlyList<InterpreterInfo> Interpreters => _interpreters;

    /// <summary>The threads found by the last <see cref="Read"/>: the first <see cref="WorkCount"/> entries.</summary>
    public IReadOnlyList<ThreadWork> Work => _work;

    public int WorkCount => _workCount;

    /// <summary>
    /// Called while the first call of a sample is being built, after the thread states: queues what
    /// the next step expects to need, so a sample where nothing moved makes one call.
    /// </summary>
    public Action? QueueAhead { get; set; }

    /// <summary>The runtime-wide GIL's last holder and whether it is locked (3.9–3.11), else 0 and false.</summary>
    public ulong GilHolder { get; private set; }

    public bool GilLocked { get; private set; }

    /// <summary>The TID offset learned inside glibc's <c>struct pthread</c> (≤3.10), or -1.</summary>
    public int PthreadTidOffset => _tidOffset;

    /// <summary>Reads the interpreters and their threads; the thread states stay in the batch until it is cleared.</summary>
    public SampleError Read(ref int dropped)
    {
        _workCount = 0;
        var error = ReadInterpreters(out var gilHolder, out var gilLocked);
        GilHolder = gilHolder;
        GilLocked = gilLocked;
        if (error != SampleError.None)
        {
            return error;
        }
        error = ReadThreads(ref dropped);
        if (error != SampleError.None)
        {
            return error;
        }
        if (_layout.ThreadNativeId == PythonLayout.Absent && _tidOffset < 0 && _tidAttempts < MaxTidAttempts && _workCount > 0
            && (_tidWait == 0 || --_tidWait == 0))
        {
            error = LearnPthreadTidOffset();
            if (error.IsFatal())
            {
                return error;
            }
        }
        return SampleError.None;
    }

    // The interpreter list, checked against the cached chain with one call.
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
        // Queued after the list heads they hang from, so copied after them; used only if the chain holds.
        QueueCachedThreads();
        QueueAhead?.Invoke();
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
                    _queuedThreads.Add(address, _batch.Add(address, _layout.ThreadReadLength));
                }
            }
        }
    }

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
            if (_interpreters.Count >= StackWalker.MaxInterpreters || !_visited.Add(address))
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

    // Every thread state at its cached address, read with the interpreters (or in one call of its own
    // after the chain changed); new ones are read singly.
    private SampleError ReadThreads(ref int dropped)
    {
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
                if (total >= StackWalker.MaxThreads)
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
                var inBatch = false;
                if (_queuedThreads.TryGet(address, out var index) && _batch.TryGet(index, out var queued))
                {
                    state = queued;
                    inBatch = true;
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
                work.StateInBatch = inBatch;
                list.Add(address);
                total++;
                address = U64(state, _layout.ThreadNext);
            }
        }
        return SampleError.None;
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
        var status = _memory.ReadExact(main.ThreadId, _scratch.AsSpan(0, StackWalker.PthreadScanBytes));
        if (status != ReadStatus.Ok)
        {
            return status.ToSampleError();
        }
        // In a container the struct holds the id from the process's own PID namespace, not ours.
        var ownId = _ownProcessId ??= NamespaceThreadIds.OwnId(_memory.ProcessId);
        if (ownId != _memory.ProcessId)
        {
            return LearnInNamespace(main, ownId);
        }
        for (var offset = 8; offset + 4 <= StackWalker.PthreadScanBytes; offset += 4)
        {
            if (I32(_scratch, offset) == ownId)
            {
                _tidOffset = offset;
                return SampleError.None;
            }
        }
        return SampleError.None;
    }

    // A namespace's ids are small (the main thread is often 1), so one match in the main thread's struct
    // proves nothing: an offset counts only if every other thread holds a distinct id of that namespace
    // there. With no other thread yet, try again later without using up an attempt.
    private SampleError LearnInNamespace(ThreadWork main, int ownId)
    {
        const int MaxChecked = 16;
        var others = new List<ulong>();
        for (var i = 0; i < _workCount && others.Count < MaxChecked; i++)
        {
            if (!ReferenceEquals(_work[i], main) && _work[i].ThreadId != 0)
            {
                others.Add(_work[i].ThreadId);
            }
        }
        if (others.Count == 0)
        {
            _tidAttempts--;
            _tidWait = 1000;
            return SampleError.None;
        }
        var ids = NamespaceThreadIds.OwnThreadIds(_memory.ProcessId);
        Span<byte> value = stackalloc byte[4];
        var seen = new HashSet<int>();
        for (var offset = 8; offset + 4 <= StackWalker.PthreadScanBytes; offset += 4)
        {
            if (I32(_scratch, offset) != ownId)
            {
                continue;
            }
            seen.Clear();
            seen.Add(ownId);
            var fits = true;
            foreach (var thread in others)
            {
                var status = _memory.ReadExact(thread + (ulong)offset, value);
                if (status != ReadStatus.Ok)
                {
                    var error = status.ToSampleError();
                    return error.IsFatal() ? error : SampleError.None;
                }
                var id = I32(value, 0);
                if (!ids.Contains(id) || !seen.Add(id))
                {
                    fits = false;
                    break;
                }
            }
            if (fits)
            {
                _tidOffset = offset;
                return SampleError.None;
            }
        }
        return SampleError.None;
    }

    private static ulong U64(ReadOnlySpan<byte> data, int offset) => BinaryPrimitives.ReadUInt64LittleEndian(data.Slice(offset, 8));

    private static int I32(ReadOnlySpan<byte> data, int offset) => BinaryPrimitives.ReadInt32LittleEndian(data.Slice(offset, 4));
}
