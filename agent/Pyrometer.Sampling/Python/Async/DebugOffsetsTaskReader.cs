using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using Pyrometer.Sampling.Memory;

namespace Pyrometer.Sampling.Python.Async;

/// <summary>
/// Reads the asyncio tasks of a CPython 3.14+ target through the interpreter's own asyncio debug
/// offsets (<see cref="AsyncioDebugOffsets"/>): every thread state and interpreter state heads a
/// linked list of its tasks (<c>task_node</c>); each task's coroutine embeds its frame, and a frame
/// suspended in an await keeps the awaited object on its value stack top, which is followed while it
/// is a coroutine. The parent is the task in <c>awaited_by</c>, reached through futures such as
/// gather's. All tasks advance together, one batched read per step (breadth-first), so the number
/// of system calls grows with the chain depth, not the task count; the last tick's tasks are read
/// with the thread states, and code objects and names are cached. Nothing read is trusted: counts,
/// depths and hops are capped, lists and chains are guarded against cycles, and a task that does not
/// add up is cut short or left out.
/// </summary>
internal sealed class DebugOffsetsTaskReader : IAsyncTaskReader
{
    public const int MaxTasks = 10_000;
    public const int MaxAwaitDepth = 64;
    public const int MaxNameChars = 128;
    public const int MaxParentHops = 8;

    /// <summary>Rounds of linked-list reads in one tick: each new task in a list costs one until the next tick reads it ahead.</summary>
    public const int MaxListRounds = 4096;

    /// <summary>A set of tasks awaiting one future: slots scanned at most.</summary>
    public const int MaxSetSlots = 1024;

    /// <summary>Room read past a coroutine's fixed fields, where its frame's stack top usually lies.</summary>
    private const int StackRoom = 256;

    private const int MaxCachedNames = 1 << 14;
    private const int MaxTypeNameBytes = 64;

    private readonly IProcessMemory _memory;
    private readonly AsyncioLayout _layout;
    private readonly AsyncioDebugOffsets _offsets;
    private readonly IThreadStateSource _threads;
    private readonly CodeObjectReader? _codes;
    private readonly ReadBatch _batch = new();
    private readonly ulong _unicodeType;
    private readonly List<ThreadStateRef> _states = [];
    private readonly List<int> _heads = [];
    private readonly Dictionary<ulong, int> _taskReads = [];
    private readonly Dictionary<ulong, TaskProgress> _tasks = [];
    private readonly List<TaskProgress> _order = [];
    private readonly List<TaskProgress> _pool = [];
    private readonly Dictionary<ulong, ulong> _running = [];
    private readonly List<ListWalk> _walks = [];
    private readonly List<ulong> _lastTasks = [];
    // Per task address: the name object read and its text (a task renamed gets a new name object).
    private readonly Dictionary<ulong, (ulong Object, string Text)> _names = [];
    private readonly Dictionary<ulong, string> _typeNames = [];
    private readonly List<ThreadWork> _works = [];
    private readonly List<PythonFrame> _frames = [];
    private readonly TaskMemos _memos = new();
    private readonly Dictionary<ulong, AwaitedLeaf> _leaves = [];
    private long _lastEpoch = -1;
    private int _poolUsed;

    public DebugOffsetsTaskReader(IProcessMemory memory, AsyncioLayout layout, IThreadStateSource threads, CodeObjectReader? codes, ulong unicodeType)
    {
        _memory = memory;
        _layout = layout;
        _offsets = layout.Offsets;
        _threads = threads;
        _codes = codes;
        _unicodeType = unicodeType;
    }

    /// <summary>Tasks found in the lists by the last tick, before finished or unreadable ones were left out.</summary>
    public int LastListedTasks => _order.Count;

    /// <summary>Tasks left out of the last tick because a cap was reached.</summary>
    public int LastCappedTasks { get; private set; }

    public SampleError ReadTasks(List<AsyncTask> into)
    {
        ArgumentNullException.ThrowIfNull(into);
        _tasks.Clear();
        _order.Clear();
        _running.Clear();
        _poolUsed = 0;
        LastCappedTasks = 0;
        var error = WalkTaskLists();
        if (error == SampleError.None)
        {
            error = FollowTasks();
        }
        if (error == SampleError.None)
        {
            RememberLeaves();
        }
        if (error == SampleError.None)
        {
            error = Emit(into);
        }
        _lastTasks.Clear();
        foreach (var task in _order)
        {
            _lastTasks.Add(task.Address);
        }
        return error;
    }

    // Step 1: the list heads of every thread and interpreter, and last tick's tasks, in one call; then the lists.
    private SampleError WalkTaskLists()
    {
        _states.Clear();
        _threads.CopyThreadStates(_states);
        _batch.Clear();
        _taskReads.Clear();
        _walks.Clear();
        var o = _offsets;
        var threadSpan = o.ThreadTasksHead + 16 - o.ThreadRunningLoop;
        var heads = _heads;
        heads.Clear();
        foreach (var state in _states)
        {
            heads.Add(_batch.Add(state.Address + (ulong)o.ThreadRunningLoop, threadSpan));
        }
        var interpreters = _threads.Interpreters;
        foreach (var interpreter in interpreters)
        {
            heads.Add(_batch.Add(interpreter.Address + (ulong)o.InterpreterTasksHead, 16));
        }
        foreach (var task in _lastTasks)
        {
            _taskReads[task] = _batch.Add(task, o.TaskSize);
        }
        var status = _batch.Execute(_memory);
        if (status != ReadStatus.Ok)
        {
            return status.ToSampleError();
        }
        for (var i = 0; i < _states.Count; i++)
        {
            if (!_batch.TryGet(heads[i], out var data))
            {
                continue;
            }
            var runningTask = U64(data, o.ThreadRunningTask - o.ThreadRunningLoop);
            if (runningTask != 0)
            {
                _running.TryAdd(runningTask, _states[i].ThreadId);
            }
            _walks.Add(new ListWalk(_states[i].Address + (ulong)o.ThreadTasksHead, U64(data, o.ThreadTasksHead - o.ThreadRunningLoop), _states[i].ThreadId));
        }
        for (var i = 0; i < interpreters.Count; i++)
        {
            if (_batch.TryGet(heads[_states.Count + i], out var data))
            {
                _walks.Add(new ListWalk(interpreters[i].Address + (ulong)o.InterpreterTasksHead, U64(data, 0), 0));   // tasks of threads gone
            }
        }
        for (var round = 0; round < MaxListRounds; round++)
        {
            var queued = false;
            for (var w = 0; w < _walks.Count; w++)
            {
                queued |= Advance(_walks[w]);
            }
            if (!queued)
            {
                return SampleError.None;
            }
            status = _batch.Execute(_memory);
            if (status != ReadStatus.Ok)
            {
                return status.ToSampleError();
            }
        }
        return SampleError.None;                     // the remaining tasks are read ahead by the next tick
    }

    // Follows one list as far as the batch holds it; true when it queued the next task's read.
    private bool Advance(ListWalk walk)
    {
        while (!walk.Done)
        {
            var next = walk.Next;
            if (next == 0 || next == walk.Head || next < (ulong)_offsets.TaskNode)
            {
                walk.Done = true;
                break;
            }
            var task = next - (ulong)_offsets.TaskNode;
            if (_tasks.ContainsKey(task))
            {
                walk.Done = true;                    // a cycle, or two lists joined: garbage either way
                break;
            }
            if (_tasks.Count >= MaxTasks)
            {
                LastCappedTasks++;
                walk.Done = true;
                break;
            }
            if (!_taskReads.TryGetValue(task, out var index))
            {
                _taskReads[task] = _batch.Add(task, _offsets.TaskSize);
                return true;
            }
            if (!_batch.TryGet(index, out var data) || !AddTask(task, data, walk.Thread))
            {
                walk.Done = true;
                break;
            }
            walk.Next = U64(data, _offsets.TaskNode);
        }
        return false;
    }

    private bool AddTask(ulong address, ReadOnlySpan<byte> data, ulong thread)
    {
        var o = _offsets;
        if (data[o.TaskIsTask] != 1 || U64(data, _layout.Python.ObjectType) == 0)
        {
            return false;
        }
        var task = Rent(address);
        task.NameObject = U64(data, o.TaskName);
        task.ListThread = thread;
        task.AwaitedBy = U64(data, o.TaskAwaitedBy);
        task.AwaitedByIsSet = data[o.TaskAwaitedByIsSet] != 0;
        task.ChainObject = U64(data, o.TaskCoro);
        task.ParentProbe = task.AwaitedBy;
        task.ParentProbeIsSet = task.AwaitedByIsSet;
        _tasks[address] = task;
        _order.Add(task);
        return true;
    }

    // Step 2: every task's await chain, parent and name, one batched read per step for all tasks.
    private SampleError FollowTasks()
    {
        _batch.Clear();
        foreach (var task in _order)
        {
            QueueChain(task, task.ChainObject, ChainStep.Coroutine);
            QueueName(task);
        }
        var maxRounds = 2 * (MaxAwaitDepth + MaxParentHops) + 4;
        for (var round = 0; round < maxRounds; round++)
        {
            var status = _batch.Execute(_memory);
            if (status != ReadStatus.Ok)
            {
                return status.ToSampleError();
            }
            var before = _batch.Count;
            foreach (var task in _order)
            {
                if (!task.ChainDone)
                {
                    StepChain(task);
                }
                if (!task.ParentDone)
                {
                    StepParent(task);
                }
                if (task.NameRead >= 0)
                {
                    ReadName(task);
                }
            }
            if (_batch.Count == before)
            {
                break;
            }
        }
        return SampleError.None;
    }

    private void QueueChain(TaskProgress task, ulong obj, ChainStep step)
    {
        if (obj == 0 || !task.Visited.Add(obj) && step == ChainStep.Coroutine || task.Frames.Count >= MaxAwaitDepth)
        {
            task.ChainDone = true;                   // the end, a cycle, or too deep
            task.ChainRead = -1;
            return;
        }
        task.ChainObject = obj;
        if (step == ChainStep.Coroutine)
        {
            task.LeafObject = obj;
            if (_leaves.TryGetValue(task.Address, out var leaf) && leaf.Object == obj && leaf.Depth == task.Frames.Count)
            {
                step = ChainStep.KnownLeaf;          // what it ended in last tick: confirmed by a small read
            }
        }
        task.ChainStep = step;
        var length = step switch
        {
            ChainStep.Coroutine => _layout.CoroutineReadLength + StackRoom,
            ChainStep.CoroutineExact => _layout.CoroutineReadLength,
            ChainStep.StackSlot => 8,
            ChainStep.KnownLeaf => _layout.Python.VarObjectSize + 8,
            _ => _layout.Python.ObjectType + 8,
        };
        task.ChainRead = _batch.Add(step == ChainStep.StackSlot ? task.StackSlot : obj, length);
    }

    private void StepChain(TaskProgress task)
    {
        if (task.ChainRead < 0 || task.ChainRead >= _batch.Count)
        {
            task.ChainDone = true;
            return;
        }
        var ok = _batch.TryGet(task.ChainRead, out var data);
        var obj = task.ChainObject;
        switch (task.ChainStep)
        {
            case ChainStep.Coroutine when !ok:
                QueueChain(task, obj, ChainStep.CoroutineExact);
                return;
            case ChainStep.CoroutineExact when !ok:
                QueueChain(task, obj, ChainStep.Header);
                return;
            case ChainStep.Header or ChainStep.FutureHeader:
                task.AwaitedTypeAddress = ok ? U64(data, _layout.Python.ObjectType) : 0;
                if (ok && task.AwaitedTypeAddress == _layout.CoroutineType)
                {
                    task.AwaitedTypeAddress = 0;     // a coroutine whose body could not be read: the chain ends here
                }
                task.ChainDone = true;
                return;
            case ChainStep.StackSlot:
                if (!ok)
                {
                    task.ChainDone = true;
                    return;
                }
                QueueChain(task, StackRefs.ToObject(U64(data, 0)), ChainStep.Coroutine);
                return;
            case ChainStep.KnownLeaf:
                ConfirmLeaf(task, ok, data);
                return;
        }
        var type = U64(data, _layout.Python.ObjectType);
        if (type != _layout.CoroutineType)
        {
            // `await future` leaves the future's iterator on the stack: what is awaited is the future it holds.
            var header = _layout.Python.VarObjectSize;
            if (TypeName(type) == "FutureIter" && U64(data, header) is var future and not 0)
            {
                task.LeafType = type;
                task.LeafFuture = future;
                task.ChainObject = future;
                task.ChainStep = ChainStep.FutureHeader;
                task.ChainRead = _batch.Add(future, _layout.Python.ObjectType + 8);
                return;
            }
            task.AwaitedTypeAddress = type;
            task.LeafType = TypeName(type) == "FutureIter" ? 0 : type;   // an exhausted iterator: confirmed by nothing
            task.ChainDone = true;
            return;
        }
        ReadCoroutine(task, obj, data);
    }

    // Still the object (and future) the chain ended in at the last tick: its types are known. Else it
    // is read as any awaited object is.
    private void ConfirmLeaf(TaskProgress task, bool ok, ReadOnlySpan<byte> data)
    {
        if (ok && _leaves.TryGetValue(task.Address, out var leaf) && U64(data, _layout.Python.ObjectType) == leaf.Type
            && (leaf.Future == 0 || U64(data, _layout.Python.VarObjectSize) == leaf.Future))
        {
            task.AwaitedTypeAddress = leaf.AwaitedType;
            task.LeafType = leaf.Type;
            task.LeafFuture = leaf.Future;
            task.ChainDone = true;
            return;
        }
        task.ChainStep = ChainStep.Coroutine;
        task.ChainRead = _batch.Add(task.ChainObject, _layout.CoroutineReadLength + StackRoom);
    }

    // The leaves confirmed or found this tick, for the next one to confirm.
    private void RememberLeaves()
    {
        if (_leaves.Count > 2 * _order.Count + 64)
        {
            _leaves.Clear();                         // tasks gone since
        }
        foreach (var task in _order)
        {
            if (task.LeafType != 0 && task.AwaitedTypeAddress != 0)
            {
                _leaves[task.Address] = new AwaitedLeaf(task.LeafObject, task.Frames.Count, task.LeafType, task.LeafFuture, task.AwaitedTypeAddress);
            }
            else
            {
                _leaves.Remove(task.Address);
            }
        }
    }

    // A coroutine: its frame joins the chain; a frame suspended in an await leads to the awaited object.
    private void ReadCoroutine(TaskProgress task, ulong coroutine, ReadOnlySpan<byte> data)
    {
        var python = _layout.Python;
        var state = (sbyte)data[_layout.GenFrameState];
        if (state >= _layout.FinishedState)
        {
            task.ChainDone = true;
            return;
        }
        var frame = _layout.GenFrame;
        var code = U64(data, frame + python.FrameCode);
        code = python.TaggedReferences ? StackRefs.ToObject(code) : code;
        if (code == 0)
        {
            task.ChainDone = true;
            return;
        }
        task.Frames.Add(new RawFrame(code, (long)U64(data, frame + python.FrameInstruction), 0));
        if (state != _layout.YieldFromState && state != _layout.YieldFromLockedState)
        {
            task.ChainDone = true;                   // running, just created, or at a plain yield
            return;
        }
        var stackPointer = U64(data, frame + _layout.FrameStackPointer);
        var frameStart = coroutine + (ulong)frame;
        var below = 8UL * (ulong)_layout.YieldFromSlot;
        if (stackPointer < frameStart + below + 16 || stackPointer - coroutine > (ulong)ReadBatch.MaxBytes)
        {
            task.ChainDone = true;                   // the value stack lives inside the coroutine object
            return;
        }
        var slot = stackPointer - below;
        var inRead = slot - coroutine;
        if (inRead + 8 <= (ulong)data.Length)
        {
            QueueChain(task, StackRefs.ToObject(U64(data, (int)inRead)), ChainStep.Coroutine);
            return;
        }
        task.StackSlot = slot;
        QueueChain(task, coroutine, ChainStep.StackSlot);
    }

    // The parent: awaited_by holds a task, a future that is itself awaited (gather), or a set of either.
    private void StepParent(TaskProgress task)
    {
        if (task.ParentRead >= 0)
        {
            if (!_batch.TryGet(task.ParentRead, out var data))
            {
                task.ParentDone = true;
                return;
            }
            task.ParentRead = -1;
            if (task.ParentProbeIsSet)
            {
                FromSet(task, data);
                return;
            }
            // A future (not a task of this tick): follow its own awaited_by.
            task.ParentProbe = U64(data, _offsets.TaskAwaitedBy);
            task.ParentProbeIsSet = data[_offsets.TaskAwaitedByIsSet] != 0;
        }
        var probe = task.ParentProbe;
        if (probe == 0 || probe == task.Address || task.ParentHops >= MaxParentHops)
        {
            task.ParentDone = true;
            return;
        }
        if (!task.ParentProbeIsSet && _tasks.ContainsKey(probe))
        {
            task.Parent = probe;
            task.ParentDone = true;
            return;
        }
        task.ParentHops++;
        var length = task.ParentProbeIsSet ? SetHeaderLength : Math.Max(_offsets.TaskAwaitedBy + 8, _offsets.TaskAwaitedByIsSet + 1);
        task.ParentRead = _batch.Add(probe, length);
    }

    // PySetObject: fill, used, mask, table follow the object header; a table entry is (key, hash).
    private int SetHeaderLength => _layout.Python.VarObjectSize + 32;

    private void FromSet(TaskProgress task, ReadOnlySpan<byte> data)
    {
        var header = _layout.Python.VarObjectSize;
        if (!task.ParentTable)
        {
            var mask = U64(data, header + 16);
            var table = U64(data, header + 24);
            if (mask >= MaxSetSlots || table == 0)
            {
                task.ParentDone = true;
                return;
            }
            task.ParentTable = true;
            task.ParentRead = _batch.Add(table, (int)(mask + 1) * 16);
            return;
        }
        for (var offset = 0; offset + 16 <= data.Length; offset += 16)
        {
            var key = U64(data, offset);
            if (key != 0 && key != task.Address && _tasks.ContainsKey(key))
            {
                task.Parent = key;                   // the first task found; futures in sets are not followed
                break;
            }
        }
        task.ParentDone = true;
    }

    private void QueueName(TaskProgress task)
    {
        if (task.NameObject == 0 || _names.TryGetValue(task.Address, out var known) && known.Object == task.NameObject)
        {
            return;
        }
        task.NameRead = _batch.Add(task.NameObject, _layout.Python.UnicodeHeaderLength + MaxNameChars);
    }

    // A str (named tasks), or the int counter CPython formats as "Task-N" only when asked.
    private void ReadName(TaskProgress task)
    {
        var index = task.NameRead;
        task.NameRead = -1;
        if (!_batch.TryGet(index, out var data))
        {
            return;
        }
        var python = _layout.Python;
        var type = U64(data, python.ObjectType);
        string? name = null;
        if (type == _unicodeType && PythonStrings.TryParseHeader(data, python, out var start, out var bytes, out var kind))
        {
            var available = Math.Min(bytes, Math.Min(data.Length - start, MaxNameChars * kind));
            available -= available % kind;
            if (available >= 0 && PythonStrings.TryDecode(data.Slice(start, available), kind, out var text))
            {
                name = text;
            }
        }
        else if (TypeName(type) == "int" && TryCompactInt(data, out var number))
        {
            name = "Task-" + number.ToString(CultureInfo.InvariantCulture);
        }
        if (name is not null)
        {
            if (_names.Count >= MaxCachedNames)
            {
                _names.Clear();
            }
            _names[task.Address] = (task.NameObject, Printable(name));
        }
    }

    // 3.12+ PyLongObject: lv_tag (sign in bits 0–1, digit count from bit 3), then 30-bit digits.
    private bool TryCompactInt(ReadOnlySpan<byte> data, out ulong value)
    {
        value = 0;
        var header = _layout.Python.VarObjectSize;
        if (data.Length < header + 16)
        {
            return false;
        }
        var tag = U64(data, header);
        var digits = tag >> 3;
        if ((tag & 3) == 2 || digits > 2)
        {
            return false;
        }
        for (var i = (int)digits - 1; i >= 0; i--)
        {
            value = (value << 30) | (BinaryPrimitives.ReadUInt32LittleEndian(data.Slice(header + 8 + 4 * i, 4)) & 0x3fffffff);
        }
        return true;
    }

    private static string Printable(string name)
    {
        var builder = new StringBuilder(name.Length);
        foreach (var c in name)
        {
            builder.Append(char.IsControl(c) ? '?' : c);
        }
        return builder.Length == 0 ? "?" : builder.ToString();
    }

    // Step 3: code objects of every chain at once, then the tasks as the contract shapes them; a task
    // that did not move since the last tick is handed back as it was (see TaskMemos).
    private SampleError Emit(List<AsyncTask> into)
    {
        var epoch = _codes?.CacheEpoch ?? 0;
        if (_codes is not null)
        {
            while (_works.Count < _order.Count)
            {
                _works.Add(new ThreadWork());
            }
            for (var i = 0; i < _order.Count; i++)
            {
                _works[i].Reset(_order[i].Address, 0);
                _works[i].Frames.AddRange(_order[i].Frames);
            }
            _codes.ObserveGeneration(_threads.Interpreters);
            var error = _codes.Resolve(_works, _order.Count);
            if (error.IsFatal())
            {
                return error;
            }
        }
        var codesUnchanged = _codes is not null && _codes.CacheEpoch == epoch && epoch == _lastEpoch;
        _lastEpoch = _codes?.CacheEpoch ?? 0;
        _memos.Begin(codesUnchanged);
        foreach (var task in _order)
        {
            if (task.Frames.Count == 0 && task.AwaitedTypeAddress == 0)
            {
                continue;                            // finished, or its coroutine could not be read
            }
            var name = task.NameObject != 0 && _names.TryGetValue(task.Address, out var known) && known.Object == task.NameObject
                ? known.Text
                : "Task at 0x" + task.Address.ToString("x", CultureInfo.InvariantCulture);
            _running.TryGetValue(task.Address, out var thread);
            var awaited = thread != 0 || task.AwaitedTypeAddress == 0 ? null : TypeName(task.AwaitedTypeAddress);
            if (_memos.TryReuse(task.Address, task.Frames, name, awaited, task.Parent, thread, task.ListThread) is { } same)
            {
                into.Add(same);
                continue;
            }
            _frames.Clear();
            for (var i = task.Frames.Count - 1; i >= 0; i--)
            {
                if (_codes is not null && _codes.TryResolve(task.Frames[i], out var frame))
                {
                    _frames.Add(frame);
                }
            }
            var built = new AsyncTask(task.Address, name, _frames.ToArray(), awaited, task.Parent, thread, task.ListThread);
            into.Add(built);
            if (_frames.Count == task.Frames.Count)
            {
                _memos.Remember(built, task.Frames);
            }
        }
        _memos.End();
        if (_names.Count > 2 * _order.Count + 64)
        {
            _names.Clear();                          // names of tasks gone since; re-read by the next tick
        }
        return SampleError.None;
    }

    /// <summary>A type's <c>tp_name</c> without its module (<c>_asyncio.Future</c> → <c>Future</c>), cached per type.</summary>
    private string? TypeName(ulong type)
    {
        if (type == 0)
        {
            return null;
        }
        if (_typeNames.TryGetValue(type, out var known))
        {
            return known;
        }
        Span<byte> buffer = stackalloc byte[MaxTypeNameBytes];
        if (!_memory.TryReadUInt64(type + 24, out var text) || text == 0 || !_memory.TryRead(text, buffer))
        {
            return null;
        }
        var length = buffer.IndexOf((byte)0);
        length = length < 0 ? buffer.Length : length;
        foreach (var b in buffer[..length])
        {
            if (b is < 0x21 or > 0x7e)
            {
                return null;
            }
        }
        var name = Encoding.ASCII.GetString(buffer[..length]);
        var dot = name.LastIndexOf('.');
        name = dot >= 0 && dot < name.Length - 1 ? name[(dot + 1)..] : name;
        if (_typeNames.Count >= 256)
        {
            _typeNames.Clear();
        }
        _typeNames[type] = name;
        return name.Length == 0 ? null : name;
    }

    private TaskProgress Rent(ulong address)
    {
        if (_poolUsed == _pool.Count)
        {
            _pool.Add(new TaskProgress());
        }
        var task = _pool[_poolUsed++];
        task.Reset(address);
        return task;
    }

    private static ulong U64(ReadOnlySpan<byte> data, int offset) =>
        offset >= 0 && offset + 8 <= data.Length ? BinaryPrimitives.ReadUInt64LittleEndian(data.Slice(offset, 8)) : 0;

    /// <summary>One task list being followed: its head (where it ends), the next node, and the thread it belongs to (0: the interpreter's).</summary>
    private sealed class ListWalk(ulong head, ulong next, ulong thread)
    {
        public ulong Head { get; } = head;

        public ulong Thread { get; } = thread;

        public ulong Next { get; set; } = next;

        public bool Done { get; set; }
    }
}
