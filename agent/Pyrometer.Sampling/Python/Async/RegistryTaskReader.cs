using System.Buffers.Binary;
using System.Globalization;
using Pyrometer.Sampling.Memory;
using Pyrometer.Sampling.Python.Objects;
using Pyrometer.Sampling.Target;

namespace Pyrometer.Sampling.Python.Async;

/// <summary>
/// Reads the asyncio tasks of a CPython 3.8–3.13 target from its task registries: module
/// <c>asyncio.tasks</c>'s <c>_all_tasks</c> (≤3.11) or <c>_scheduled_tasks</c> (3.12+) WeakSet — whose
/// <c>data</c> set holds weak references to the C tasks — and the <c>_eager_tasks</c> set (3.12+). Each
/// task's await chain is its coroutine, then what that coroutine's suspended frame awaits (the top of
/// its value stack) while that is a coroutine too. Parents come from <c>fut_waiter</c> (a task that
/// awaits a task, or a <c>_GatheringFuture</c>'s children); the running task from <c>_current_tasks</c>
/// and its loop's <c>_thread_id</c>. Reads go breadth-first over all tasks, a handful of system calls per
/// level of the await chains whatever the number of tasks; code objects, names and type kinds are
/// cached by address. Everything read is hostile: counts, depths and names are capped, chains stop at
/// a cycle, and nothing throws for bad memory.
/// </summary>
internal sealed class RegistryTaskReader : IAsyncTaskReader
{
    public const int MaxTasks = 10_000;
    public const int MaxChainDepth = 256;
    public const int MaxNameChars = 256;

    /// <summary>Slots of one set's table read (a set of <see cref="MaxTasks"/> keeps at most 4 × that many).</summary>
    public const int MaxSetSlots = 1 << 16;

    /// <summary>Types looked up by name in one pass: a garbage image cannot make a pass read thousands of type names.</summary>
    private const int MaxNewTypesPerPass = 64;

    private const int MaxCachedTypes = 4096;
    private const int MaxCachedResumes = 4096;
    private const int MaxLoops = 64;
    private const int LocateEvery = 50;
    private const int RefreshLoopsEvery = 100;
    private const int SetHeaderLength = 48;
    private const int TypeBase = 256;            // tp_base in PyTypeObject, 3.8–3.13
    private const int MaxBaseDepth = 16;
    private const int FrameObjectReadLength = 112;
    private const int SpeculativeSlots = 8;

    private readonly IProcessMemory _memory;
    private readonly PythonLayout _layout;
    private readonly TaskLayout _tasks;
    private readonly ObjectReader _objects;
    private readonly ulong _runtime;
    private readonly ReadBatch _batch = new();
    private readonly CodeObjectReader _codes;
    private readonly TaskGroupParents? _groups;
    private readonly ThreadWork _codeWork = new();
    private readonly ThreadWork[] _codeWorks;
    private readonly TaskMemos _memos = new();
    private readonly Dictionary<ulong, RegistryTypeKind> _kinds = [];
    private readonly Dictionary<ulong, ulong> _loopThreads = [];
    private readonly List<RegistryTaskWork> _pool = [];
    private readonly List<RegistryTaskWork> _live = [];
    private readonly List<RegistryTaskWork> _active = [];
    private readonly HashSet<ulong> _seen = [];
    private readonly List<ulong> _keys = [];
    private readonly List<DictEntry> _entries = [];
    private readonly Dictionary<ulong, ulong> _parents = [];
    private readonly List<PythonFrame> _frames = [];
    private readonly Dictionary<ulong, string> _awaited = [];
    private readonly Dictionary<ulong, ulong> _running = [];
    private readonly List<ulong> _children = [];
    private readonly Dictionary<string, string> _shortNames = new(StringComparer.Ordinal);
    private readonly Dictionary<(ulong Code, ulong Instruction), bool> _resumes = [];
    private Dictionary<(ulong Task, ulong Name), string> _names = [];
    private Dictionary<(ulong Task, ulong Waiter, long Instruction), ulong[]> _gathers = [];
    private Dictionary<(ulong Task, ulong Waiter, long Instruction), ulong[]> _nextGathers = [];
    private Dictionary<(ulong Task, ulong Name), string> _nextNames = [];
    private ulong _weakSet;                      // the `data` set of _all_tasks / _scheduled_tasks
    private ulong _eagerSet;
    private ulong _currentTasks;
    private ulong _setType;
    private bool _located;
    private int _locateCountdown;
    private int _loopCountdown;
    private int _newTypes;
    private long _lastEpoch = -1;
    private long _resumeEpoch = -1;
    private int _resumeHits;

    private RegistryTaskReader(IProcessMemory memory, PythonLayout layout, TaskLayout tasks, ObjectLayout objects, InterpreterLocation location)
    {
        _memory = memory;
        _layout = layout;
        _tasks = tasks;
        _objects = new ObjectReader(memory, objects);
        _runtime = location.RuntimeAddress;
        _codes = new CodeObjectReader(memory, layout, location, new ReadBatch(), new WalkerCounters());
        _groups = layout.Version.Minor >= 11 ? new TaskGroupParents(memory, _objects, tasks) : null;   // TaskGroup came in 3.11
        _codeWorks = [_codeWork];
    }

    /// <summary>The reader for a 3.8–3.13 GIL build on x86-64, or null for any other interpreter.</summary>
    public static RegistryTaskReader? TryCreate(IProcessMemory memory, PythonLayout layout, InterpreterLocation location)
    {
        ArgumentNullException.ThrowIfNull(memory);
        ArgumentNullException.ThrowIfNull(layout);
        ArgumentNullException.ThrowIfNull(location);
        if (layout.Version.Minor > 13)
        {
            return null;
        }
        var tasks = TaskLayout.For(layout);
        var objects = tasks is null ? null : ObjectLayout.For(layout, memory, location.RuntimeAddress);
        return tasks is null || objects is null ? null : new RegistryTaskReader(memory, layout, tasks, objects, location);
    }

    /// <summary>Memory reads (system calls) the last <see cref="ReadTasks"/> made.</summary>
    public long LastCalls { get; private set; }

    public SampleError ReadTasks(List<AsyncTask> into)
    {
        ArgumentNullException.ThrowIfNull(into);
        var before = _memory.CallCount;
        try
        {
            return Read(into);
        }
        finally
        {
            LastCalls = _memory.CallCount - before;
        }
    }

    private SampleError Read(List<AsyncTask> into)
    {
        _newTypes = 0;
        if (!_located)
        {
            if (_locateCountdown-- > 0)
            {
                return SampleError.None;
            }
            _locateCountdown = LocateEvery;
            var status = _memory.Read([new RemoteSpan(_runtime, 8)], stackalloc byte[8], out _);
            if (status is ReadStatus.ProcessGone or ReadStatus.PermissionDenied)
            {
                return status.ToSampleError();
            }
            if (!Locate())
            {
                return SampleError.None;              // asyncio not imported (yet): no tasks
            }
            _located = true;
        }
        var error = ReadRegistries();
        if (error != SampleError.None)
        {
            return error;
        }
        error = ReadTaskObjects();
        if (error != SampleError.None)
        {
            return error;
        }
        if (_resumeEpoch != _codes.CacheEpoch)
        {
            _resumes.Clear();                         // a code object was dropped: its address may hold another now
            _resumeEpoch = _codes.CacheEpoch;
        }
        _resumeHits = 0;
        error = ReadChains();
        if (error != SampleError.None)
        {
            return error;
        }
        var epoch = _codes.CacheEpoch;
        error = ResolveCodes();
        if (error != SampleError.None)
        {
            return error;
        }
        if (_codes.CacheEpoch != epoch && _resumeHits > 0)
        {
            // A code object was replaced under a cached RESUME answer this very pass: walk the chains again without them.
            _resumes.Clear();
            _resumeEpoch = _codes.CacheEpoch;
            foreach (var task in _live)
            {
                task.Restart();
            }
            error = ReadChains();
            if (error != SampleError.None)
            {
                return error;
            }
            epoch = _codes.CacheEpoch;
            error = ResolveCodes();
            if (error != SampleError.None)
            {
                return error;
            }
        }
        // A task that did not move since the last tick is handed back as it was (see TaskMemos).
        _memos.Begin(_codes.CacheEpoch == epoch && epoch == _lastEpoch);
        _lastEpoch = _codes.CacheEpoch;
        var awaited = ReadParents();
        _groups?.Link(_seen, _parents);
        var running = ReadRunning();
        foreach (var task in _live)
        {
            if (task.Frames.Count == 0)
            {
                continue;                             // not even the task's own coroutine adds up
            }
            awaited.TryGetValue(task.Address, out var awaitedType);
            _parents.TryGetValue(task.Address, out var parent);
            running.TryGetValue(task.Address, out var thread);
            var name = Name(task);
            var loopThread = LoopThread(task.Loop);
            if (_memos.TryReuse(task.Address, task.Frames, name, awaitedType, parent, thread, loopThread) is { } same)
            {
                into.Add(same);
                continue;
            }
            _frames.Clear();
            for (var i = task.Frames.Count - 1; i >= 0; i--)
            {
                if (!_codes.TryResolve(task.Frames[i], out var frame))
                {
                    _frames.Clear();                  // the innermost frames would be missing: keep the outer ones only
                    for (var j = 0; j < i && _codes.TryResolve(task.Frames[j], out var outer); j++)
                    {
                        _frames.Insert(0, outer);
                    }
                    break;
                }
                _frames.Add(frame);
            }
            if (_frames.Count == 0)
            {
                continue;                             // not even the task's own coroutine adds up
            }
            var built = new AsyncTask(task.Address, name, _frames.ToArray(), awaitedType, parent, thread, loopThread);
            into.Add(built);
            if (_frames.Count == task.Frames.Count)
            {
                _memos.Remember(built, task.Frames);
            }
        }
        _memos.End();
        (_names, _nextNames) = (_nextNames, _names);
        _nextNames.Clear();
        (_gathers, _nextGathers) = (_nextGathers, _gathers);
        _nextGathers.Clear();
        return SampleError.None;
    }

    private SampleError ResolveCodes()
    {
        _codeWork.Reset(0, 0);
        foreach (var task in _live)
        {
            _codeWork.Frames.AddRange(task.Frames);
        }
        return _codes.Resolve(_codeWorks, 1);
    }

    // sys.modules["asyncio.tasks"].__dict__ → the registries; repeated only while they are not found.
    private bool Locate()
    {
        _weakSet = _eagerSet = _currentTasks = 0;
        if (!_objects.TryReadPointer(_runtime + (ulong)_layout.RuntimeInterpretersHead, out var interpreter))
        {
            return false;
        }
        var seen = new HashSet<ulong>();
        for (var i = 0; i < StackWalker.MaxInterpreters && interpreter != 0 && seen.Add(interpreter); i++)
        {
            if (_objects.TryReadPointer(interpreter + (ulong)_objects.Layout.InterpreterModules, out var modules)
                && _objects.TryGetDictItem(modules, "asyncio.tasks", out var module)
                && _objects.TryReadPointer(module + (ulong)_objects.Layout.HeaderSize, out var globals))
            {
                return LocateIn(globals);
            }
            if (!_objects.TryReadPointer(interpreter + (ulong)_layout.InterpreterNext, out interpreter))
            {
                break;
            }
        }
        return false;
    }

    private bool LocateIn(ulong globals)
    {
        var registry = _layout.Version.Minor >= 12 ? "_scheduled_tasks" : "_all_tasks";
        if (!_objects.TryGetDictItem(globals, registry, out var weakSet) || !_objects.TryGetAttribute(weakSet, "data", out var data)
            || !_objects.TryReadType(data, out var setType) || _objects.TypeNameOf(setType) != "set")
        {
            return false;
        }
        _setType = setType;
        _weakSet = data;
        if (_layout.Version.Minor >= 12 && _objects.TryGetDictItem(globals, "_eager_tasks", out var eager)
            && _objects.TryReadType(eager, out var eagerType) && eagerType == setType)
        {
            _eagerSet = eager;
        }
        if (_objects.TryGetDictItem(globals, "_current_tasks", out var current) && _objects.TypeName(current) == "dict")
        {
            _currentTasks = current;
        }
        return true;
    }

    // The registry sets' tables → weak references → candidate task addresses in _keys.
    private SampleError ReadRegistries()
    {
        _keys.Clear();
        _batch.Clear();
        var weakHeader = _batch.Add(_weakSet, SetHeaderLength);
        var eagerHeader = _eagerSet != 0 ? _batch.Add(_eagerSet, SetHeaderLength) : -1;
        var status = _batch.Execute(_memory);
        if (status != ReadStatus.Ok)
        {
            return status.ToSampleError();
        }
        if (!TableOf(weakHeader, out var weakTable, out var weakSlots))
        {
            _located = false;                         // the module was reloaded or the memory is not what it was
            _locateCountdown = 0;
            return SampleError.InvalidData;
        }
        var eagerSlots = 0;
        ulong eagerTable = 0;
        if (eagerHeader >= 0 && !TableOf(eagerHeader, out eagerTable, out eagerSlots))
        {
            _located = false;
            _locateCountdown = 0;
            return SampleError.InvalidData;
        }
        var weakRead = _batch.Add(weakTable, weakSlots * 16);
        var eagerRead = eagerSlots > 0 ? _batch.Add(eagerTable, eagerSlots * 16) : -1;
        status = _batch.Execute(_memory);
        if (status != ReadStatus.Ok)
        {
            return status.ToSampleError();
        }
        if (!_batch.TryGet(weakRead, out var weakData))
        {
            return SampleError.TornRead;
        }
        var references = new List<int>();
        for (var i = 0; i < weakSlots && references.Count < MaxTasks; i++)
        {
            var key = U64(weakData, i * 16);
            if (key != 0)
            {
                references.Add(_batch.Add(key, 24));  // ob_refcnt, ob_type, wr_object
            }
        }
        if (eagerRead >= 0 && _batch.TryGet(eagerRead, out var eagerData))
        {
            for (var i = 0; i < eagerSlots && _keys.Count < MaxTasks; i++)
            {
                var key = U64(eagerData, i * 16);
                if (key != 0)
                {
                    _keys.Add(key);
                }
            }
        }
        status = _batch.Execute(_memory);
        if (status != ReadStatus.Ok)
        {
            return status.ToSampleError();
        }
        foreach (var index in references)
        {
            if (_keys.Count >= MaxTasks)
            {
                break;
            }
            if (_batch.TryGet(index, out var reference) && Kind(U64(reference, 8)) == RegistryTypeKind.WeakRef)
            {
                var target = U64(reference, 16);
                if (target != 0)
                {
                    _keys.Add(target);
                }
            }
        }
        return SampleError.None;
    }

    // A set's table address and slot count from its header; false when the header does not add up.
    private bool TableOf(int header, out ulong table, out int slots)
    {
        table = 0;
        slots = 0;
        if (!_batch.TryGet(header, out var data) || U64(data, 8) != _setType)
        {
            return false;
        }
        var used = (long)U64(data, 24);
        var mask = (long)U64(data, 32);
        table = U64(data, 40);
        if (mask < 7 || mask >= MaxSetSlots || (mask & (mask + 1)) != 0 || used < 0 || used > mask + 1 || table == 0)
        {
            return false;
        }
        slots = (int)mask + 1;
        return true;
    }

    // Each candidate's task fields; keeps the pending tasks (all_tasks() leaves out the done ones).
    private SampleError ReadTaskObjects()
    {
        _live.Clear();
        _seen.Clear();
        _batch.Clear();
        var length = _tasks.TaskReadLength;
        foreach (var key in _keys)
        {
            if (!_seen.Add(key))
            {
                continue;
            }
            var work = Work(_live.Count);
            work.Reset(key);
            work.HeadRead = _batch.Add(key, length);
            _live.Add(work);
        }
        var status = _batch.Execute(_memory);
        if (status != ReadStatus.Ok)
        {
            return status.ToSampleError();
        }
        var kept = 0;
        for (var i = 0; i < _live.Count; i++)
        {
            var work = _live[i];
            if (!_batch.TryGet(work.HeadRead, out var data) || Kind(U64(data, 8)) != RegistryTypeKind.Task
                || BinaryPrimitives.ReadInt32LittleEndian(data.Slice(_tasks.FutureState, 4)) != 0)
            {
                continue;
            }
            work.Waiter = U64(data, _tasks.FutureWaiter);
            work.Loop = U64(data, _tasks.FutureLoop);
            work.Coroutine = U64(data, _tasks.Coroutine);
            work.NameObject = U64(data, _tasks.Name);
            work.Next = work.Coroutine;
            _live[kept++] = work;
        }
        _live.RemoveRange(kept, _live.Count - kept);
        return SampleError.None;
    }

    // Breadth-first over all tasks: every level reads each chain's next coroutine in the same calls.
    private SampleError ReadChains()
    {
        _active.Clear();
        foreach (var work in _live)
        {
            if (work.Next != 0)
            {
                _active.Add(work);
            }
        }
        for (var depth = 0; depth < MaxChainDepth && _active.Count > 0; depth++)
        {
            var error = _tasks.Stack == TaskStackStyle.EmbeddedFrame ? ReadEmbeddedLevel() : ReadFrameObjectLevel();
            if (error != SampleError.None)
            {
                return error;
            }
            error = ReadSlots();
            if (error != SampleError.None)
            {
                return error;
            }
        }
        return SampleError.None;
    }

    // 3.11–3.13: the coroutine holds its frame; one read gives code, instruction, state and stack top.
    private SampleError ReadEmbeddedLevel()
    {
        _batch.Clear();
        var body = _tasks.GenFrame + _tasks.StackBase;
        foreach (var work in _active)
        {
            work.HeadRead = _batch.Add(work.Next, 16);
            work.BodyRead = _batch.Add(work.Next, body);
            // The first stack slots too, on their own span: the awaited object is usually among them, which
            // saves a call per level; past the object's end they may fault, which costs the body nothing.
            work.SlotRead = _batch.Add(work.Next + (ulong)body, SpeculativeSlots * 8);
        }
        var status = _batch.Execute(_memory);
        if (status != ReadStatus.Ok)
        {
            return status.ToSampleError();
        }
        var kept = 0;
        var checkResume = _layout.Version.Minor is 11 or 12;
        for (var i = 0; i < _active.Count; i++)
        {
            var work = _active[i];
            var node = work.Next;
            if (!IsCoroutine(work, out var data) || !_batch.TryGet(work.BodyRead, out data))
            {
                continue;
            }
            var frame = _tasks.GenFrame;
            work.Instruction = U64(data, frame + _layout.FrameInstruction);
            work.Nodes.Add(node);
            work.Frames.Add(new RawFrame(U64(data, frame + _layout.FrameCode), (long)work.Instruction, 0));
            var state = (sbyte)data[_tasks.FrameState];
            var top = BinaryPrimitives.ReadInt32LittleEndian(data.Slice(frame + _tasks.StackTop, 4));
            if (state != _tasks.SuspendedState || top is < 1 or > 1 << 20)
            {
                continue;                             // running, just created, or done: it awaits nothing
            }
            work.AwaitedKnown = false;
            if (top <= SpeculativeSlots && _batch.TryGet(work.SlotRead, out var slots))
            {
                work.AwaitedKnown = true;
                work.Awaited = U64(slots, 8 * (top - 1));
            }
            else
            {
                work.SlotRead = _batch.Add(node + (ulong)(frame + _tasks.StackBase) + (8 * (ulong)(top - 1)), 8);
            }
            // 3.11/3.12 suspend a plain yield the same way: the RESUME after it says 2+ only after an await.
            // Its operand never changes for a code object, so it is read once per (code, instruction).
            work.ResumeRead = -1;
            if (checkResume)
            {
                if (_resumes.TryGetValue((work.Frames[^1].Code, work.Instruction), out var awaits))
                {
                    _resumeHits++;
                    if (!awaits)
                    {
                        continue;
                    }
                }
                else
                {
                    work.ResumeRead = _batch.Add(work.Instruction + 2, 2);
                }
            }
            _active[kept++] = work;
        }
        _active.RemoveRange(kept, _active.Count - kept);
        return SampleError.None;
    }

    // 3.8–3.10: the coroutine points at a frame object, read in a second call.
    private SampleError ReadFrameObjectLevel()
    {
        _batch.Clear();
        foreach (var work in _active)
        {
            work.HeadRead = _batch.Add(work.Next, 16);
            work.BodyRead = _batch.Add(work.Next + (ulong)_tasks.GenFrame, 8);
        }
        var status = _batch.Execute(_memory);
        if (status != ReadStatus.Ok)
        {
            return status.ToSampleError();
        }
        var kept = 0;
        for (var i = 0; i < _active.Count; i++)
        {
            var work = _active[i];
            if (!IsCoroutine(work, out _) || !_batch.TryGet(work.BodyRead, out var pointer) || U64(pointer, 0) == 0)
            {
                continue;                             // a finished coroutine has no frame
            }
            work.FrameObject = U64(pointer, 0);
            work.BodyRead = _batch.Add(work.FrameObject, FrameObjectReadLength);
            _active[kept++] = work;
        }
        _active.RemoveRange(kept, _active.Count - kept);
        status = _batch.Execute(_memory);
        if (status != ReadStatus.Ok)
        {
            return status.ToSampleError();
        }
        kept = 0;
        for (var i = 0; i < _active.Count; i++)
        {
            var work = _active[i];
            if (!_batch.TryGet(work.BodyRead, out var frame))
            {
                continue;
            }
            var address = work.FrameObject;
            work.Nodes.Add(work.Next);
            var lasti = BinaryPrimitives.ReadInt32LittleEndian(frame.Slice(_layout.FrameInstruction, 4));
            work.Frames.Add(new RawFrame(U64(frame, _layout.FrameCode), lasti, 0));
            ulong slot;
            if (_tasks.Stack == TaskStackStyle.StackTopPointer)
            {
                var top = U64(frame, _tasks.StackTop);   // null while running
                if (top < address + (ulong)_layout.FrameSize || top - address > 8 << 20)
                {
                    continue;
                }
                slot = top - 8;
            }
            else
            {
                var bottom = U64(frame, _tasks.StackBase);
                var depth = BinaryPrimitives.ReadInt32LittleEndian(frame.Slice(_tasks.StackTop, 4));
                if ((sbyte)frame[_tasks.FrameState] != _tasks.SuspendedState || depth is < 1 or > 1 << 16
                    || bottom < address || bottom - address > 8 << 20)
                {
                    continue;
                }
                slot = bottom + (8 * (ulong)(depth - 1));
            }
            work.SlotRead = _batch.Add(slot, 8);
            work.AwaitedKnown = false;
            work.ResumeRead = -1;
            _active[kept++] = work;
        }
        _active.RemoveRange(kept, _active.Count - kept);
        return SampleError.None;
    }

    // The awaited objects the frames' stack tops hold: the next level's coroutines (or leaves). Reads
    // only what the level could not take from its speculative read (none at all when nothing is queued).
    private SampleError ReadSlots()
    {
        var status = _batch.Execute(_memory);
        if (status != ReadStatus.Ok)
        {
            return status.ToSampleError();
        }
        var kept = 0;
        for (var i = 0; i < _active.Count; i++)
        {
            var work = _active[i];
            ulong next;
            if (work.AwaitedKnown)
            {
                next = work.Awaited;
            }
            else if (_batch.TryGet(work.SlotRead, out var slot))
            {
                next = U64(slot, 0);
            }
            else
            {
                continue;
            }
            if (work.ResumeRead >= 0)
            {
                if (!_batch.TryGet(work.ResumeRead, out var resume))
                {
                    continue;
                }
                var awaits = resume[1] >= 2;
                if (_resumes.Count >= MaxCachedResumes)
                {
                    _resumes.Clear();
                }
                _resumes[(work.Frames[^1].Code, work.Instruction)] = awaits;
                if (!awaits)
                {
                    continue;
                }
            }
            if (next == 0 || work.Nodes.Contains(next))
            {
                continue;                             // a cycle in the await chain ends it
            }
            work.Next = next;
            _active[kept++] = work;
        }
        _active.RemoveRange(kept, _active.Count - kept);
        return SampleError.None;
    }

    private bool IsCoroutine(RegistryTaskWork work, out ReadOnlySpan<byte> head)
    {
        return _batch.TryGet(work.HeadRead, out head) && Kind(U64(head, 8)) == RegistryTypeKind.Coroutine;
    }

    // Parents through fut_waiter; returns each waiting task's awaited type name.
    private Dictionary<ulong, string> ReadParents()
    {
        _parents.Clear();
        var awaited = _awaited;
        awaited.Clear();
        _seen.Clear();
        foreach (var task in _live)
        {
            _seen.Add(task.Address);
        }
        _batch.Clear();
        foreach (var task in _live)
        {
            task.HeadRead = task.Waiter != 0 ? _batch.Add(task.Waiter, 16) : -1;
        }
        if (_batch.Execute(_memory) != ReadStatus.Ok)
        {
            return awaited;
        }
        foreach (var task in _live)
        {
            if (task.HeadRead < 0 || !_batch.TryGet(task.HeadRead, out var head))
            {
                continue;
            }
            var type = U64(head, 8);
            var name = _objects.TypeNameOf(type);
            if (name is null)
            {
                continue;
            }
            awaited[task.Address] = ShortName(name);
            if (_seen.Contains(task.Waiter))
            {
                _parents.TryAdd(task.Waiter, task.Address);
            }
            else if (name == "_GatheringFuture" && GatheredChildren(task) is { } gathered)
            {
                foreach (var child in gathered)
                {
                    if (_seen.Contains(child))
                    {
                        _parents.TryAdd(child, task.Address);
                    }
                }
            }
        }
        return awaited;
    }

    // A _GatheringFuture's _children, set when gather() makes it and never changed after. The future is kept
    // alive by the task awaiting it, so while that task still waits on it at the same instruction (checked each
    // pass) the list read at first is still the one; a task seen waiting elsewhere in between is read afresh.
    private ulong[]? GatheredChildren(RegistryTaskWork task)
    {
        var key = (task.Address, task.Waiter, task.Frames.Count > 0 ? task.Frames[^1].Instruction : -1);
        if (!_gathers.TryGetValue(key, out var children))
        {
            _children.Clear();
            if (!_objects.TryGetAttribute(task.Waiter, "_children", out var list) || !TryReadList(list, _children))
            {
                return null;
            }
            children = _children.ToArray();
        }
        _nextGathers[key] = children;
        return children;
    }

    private bool TryReadList(ulong list, List<ulong> into)
    {
        if (_objects.TypeName(list) != "list" || !_memory.TryReadInt64(list + (ulong)_layout.VarObjectSize, out var size)
            || size < 0 || size > MaxTasks || !_objects.TryReadPointer(list + (ulong)_objects.Layout.ListItems, out var items))
        {
            return false;
        }
        var data = new byte[size * 8];
        if (!_memory.TryRead(items, data))
        {
            return false;
        }
        for (var i = 0; i < size; i++)
        {
            into.Add(U64(data, i * 8));
        }
        return true;
    }

    // _current_tasks maps each running loop to its task; the loop's _thread_id is the thread running it.
    private Dictionary<ulong, ulong> ReadRunning()
    {
        var running = _running;
        running.Clear();
        if (_currentTasks == 0)
        {
            return running;
        }
        if (_loopCountdown-- <= 0)
        {
            _loopThreads.Clear();                     // a loop can be run again on another thread
            _loopCountdown = RefreshLoopsEvery;
        }
        _entries.Clear();
        if (!_objects.TryReadDictEntries(_currentTasks, MaxLoops, _entries))
        {
            return running;
        }
        foreach (var (loop, task) in _entries)
        {
            var thread = LoopThread(loop);
            if (thread != 0)
            {
                running[task] = thread;
            }
        }
        return running;
    }

    // A loop's _thread_id (set while it runs), cached per loop; the cache is emptied every RefreshLoopsEvery passes.
    private ulong LoopThread(ulong loop)
    {
        if (loop == 0)
        {
            return 0;
        }
        if (!_loopThreads.TryGetValue(loop, out var thread))
        {
            if (_loopThreads.Count >= MaxLoops)
            {
                return 0;                             // more loops than any program runs: garbage, not looked up
            }
            thread = _objects.TryGetAttribute(loop, "_thread_id", out var id) && _objects.TryReadInt(id, out var value) ? (ulong)value : 0;
            _loopThreads[loop] = thread;
        }
        return thread;
    }

    // "_asyncio.Future" → "Future", one string per type name rather than one per task and tick.
    private string ShortName(string name)
    {
        if (!_shortNames.TryGetValue(name, out var shortName))
        {
            shortName = name[(name.LastIndexOf('.') + 1)..];
            if (_shortNames.Count >= MaxCachedTypes)
            {
                _shortNames.Clear();
            }
            _shortNames[name] = shortName;
        }
        return shortName;
    }

    private string Name(RegistryTaskWork task)
    {
        var key = (task.Address, task.NameObject);
        if (!_names.TryGetValue(key, out var name))
        {
            if (_objects.TryReadString(task.NameObject, MaxNameChars, out var text, out _) && text.Length > 0)
            {
                name = text;
            }
            else if (_objects.TryReadInt(task.NameObject, out var number))
            {
                name = "Task-" + number.ToString(CultureInfo.InvariantCulture);   // a name still kept as its counter
            }
            else
            {
                name = "Task@0x" + task.Address.ToString("x", CultureInfo.InvariantCulture);
            }
        }
        _nextNames[key] = name;
        return name;
    }

    private RegistryTypeKind Kind(ulong type)
    {
        if (type == 0)
        {
            return RegistryTypeKind.Other;
        }
        if (_kinds.TryGetValue(type, out var kind))
        {
            return kind;
        }
        if (_newTypes++ >= MaxNewTypesPerPass)
        {
            return RegistryTypeKind.Other;            // not cached: looked up in a later pass
        }
        kind = _objects.TypeNameOf(type) switch
        {
            "coroutine" or "generator" => RegistryTypeKind.Coroutine,
            "weakref" or "weakref.ReferenceType" => RegistryTypeKind.WeakRef,
            "set" => RegistryTypeKind.Set,
            _ => DerivesFromTask(type) ? RegistryTypeKind.Task : RegistryTypeKind.Other,
        };
        if (_kinds.Count >= MaxCachedTypes)
        {
            _kinds.Clear();
        }
        _kinds[type] = kind;
        return kind;
    }

    private bool DerivesFromTask(ulong type)
    {
        for (var i = 0; i < MaxBaseDepth && type != 0; i++)
        {
            if (_objects.TypeNameOf(type) == "_asyncio.Task")
            {
                return true;
            }
            if (!_objects.TryReadPointer(type + TypeBase, out type))
            {
                return false;
            }
        }
        return false;
    }

    private RegistryTaskWork Work(int index)
    {
        while (_pool.Count <= index)
        {
            _pool.Add(new RegistryTaskWork());
        }
        return _pool[index];
    }

    private static ulong U64(ReadOnlySpan<byte> data, int offset) => BinaryPrimitives.ReadUInt64LittleEndian(data.Slice(offset, 8));
}
