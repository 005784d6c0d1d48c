using System.Buffers.Binary;
using Pyrometer.Sampling.Memory;
using Pyrometer.Sampling.Python.Objects;

namespace Pyrometer.Sampling.Python.Introspection;

/// <summary>
/// Reads one thread's frames again, slowly and on their own (for <c>dump --locals</c>, never while
/// sampling): each frame's locals, named by the code object's <c>co_varnames</c>/<c>co_cellvars</c>/
/// <c>co_freevars</c> (≤3.10) or <c>co_localsplusnames</c>/<c>co_localspluskinds</c> (3.11+), with
/// values from <c>f_localsplus</c> or <c>localsplus</c>. Unbound locals are left out; cells and free
/// variables show as <c>&lt;cell&gt;</c>. The thread runs on meanwhile, so the caller matches the frames
/// read here with its stack by count and function name and reads again when they differ.
/// </summary>
internal sealed class FrameLocalsReader(ObjectReader objects, ulong runtimeAddress)
{
    /// <summary>Locals shown per frame; a frame with more shows the first ones.</summary>
    public const int MaxLocals = 256;

    private const int MaxNames = 4096;
    private const int MaxInterpreters = 64;
    private const byte HiddenKind = 0x10;
    private const byte CellOrFreeKinds = 0x40 | 0x80;
    private const string Cell = "<cell>";

    private readonly ValueFormatter _values = new(objects);
    private readonly List<ulong> _names = [];
    private readonly List<ulong> _more = [];

    /// <summary>The thread's frames, innermost first, or null when its thread state or chain could not be read.</summary>
    public IReadOnlyList<FrameLocals>? Read(ulong threadId)
    {
        var python = objects.Layout.Python;
        var frame = CurrentFrame(threadId);
        if (frame is null)
        {
            return null;
        }
        var result = new List<FrameLocals>();
        var seen = new HashSet<ulong>();
        var buffer = new byte[python.FrameReadLength];
        var address = frame.Value;
        while (address != 0)
        {
            if (result.Count >= StackWalker.MaxDepth || !seen.Add(address) || !objects.Memory.TryRead(address, buffer))
            {
                return null;
            }
            var previous = BinaryPrimitives.ReadUInt64LittleEndian(buffer.AsSpan(python.FramePrevious, 8));
            var bits = BinaryPrimitives.ReadUInt64LittleEndian(buffer.AsSpan(python.FrameCode, 8));
            if (python.Frames == FrameStyle.InterpreterFrame)
            {
                var owner = buffer[python.FrameOwner];
                if (owner > python.MaxOwner)
                {
                    return null;
                }
                if (owner >= python.FirstSkippedOwner)
                {
                    address = previous;
                    continue;                         // a shim frame: not in the stack either
                }
            }
            var code = python.TaggedReferences ? StackRefs.ToObject(bits) : bits;
            if (code == 0 || !ReadName(code, out var function))
            {
                return null;
            }
            result.Add(new FrameLocals(function, ReadLocals(address, code)));
            address = previous;
        }
        return result;
    }

    private bool ReadName(ulong code, out string name)
    {
        name = "";
        return objects.TryReadPointer(code + (ulong)objects.Layout.Python.CodeName, out var text)
            && objects.TryReadString(text, PythonStrings.MaxChars, out name, out _);
    }

    // The thread state's newest frame: ≤3.10 tstate->frame, 3.11/3.12 tstate->cframe->current_frame, 3.13+ tstate->current_frame.
    private ulong? CurrentFrame(ulong threadId)
    {
        var python = objects.Layout.Python;
        if (!objects.TryReadPointer(runtimeAddress + (ulong)python.RuntimeInterpretersHead, out var interpreter))
        {
            return null;
        }
        var seen = new HashSet<ulong>();
        for (var i = 0; i < MaxInterpreters && interpreter != 0 && seen.Add(interpreter); i++)
        {
            if (!objects.TryReadPointer(interpreter + (ulong)python.InterpreterThreadsHead, out var thread))
            {
                return null;
            }
            for (var t = 0; t < StackWalker.MaxThreads && thread != 0; t++)
            {
                if (!seen.Add(thread))
                {
                    return null;                      // a thread list that loops
                }
                if (!objects.TryReadPointer(thread + (ulong)python.ThreadId, out var id))
                {
                    return null;
                }
                if (id == threadId)
                {
                    if (!objects.TryReadPointer(thread + (ulong)python.ThreadFrame, out var frame))
                    {
                        return null;
                    }
                    if (python.CFrameCurrentFrame != PythonLayout.Absent && frame != 0
                        && !objects.TryReadPointer(frame + (ulong)python.CFrameCurrentFrame, out frame))
                    {
                        return null;
                    }
                    return frame;
                }
                if (!objects.TryReadPointer(thread + (ulong)python.ThreadNext, out thread))
                {
                    return null;
                }
            }
            if (!objects.TryReadPointer(interpreter + (ulong)python.InterpreterNext, out interpreter))
            {
                return null;
            }
        }
        return null;
    }

    private List<LocalVariable>? ReadLocals(ulong frame, ulong code)
    {
        var layout = objects.Layout;
        _names.Clear();
        byte[] kinds;
        if (layout.CodeLocalKinds != PythonLayout.Absent)
        {
            if (!objects.TryReadPointer(code + (ulong)layout.CodeLocalNames, out var names)
                || !objects.TryReadTupleItems(names, MaxNames, _names)
                || !objects.TryReadPointer(code + (ulong)layout.CodeLocalKinds, out var kindBytes)
                || !objects.TryReadBytesLength(kindBytes, out var kindCount) || kindCount != _names.Count)
            {
                return null;
            }
            kinds = new byte[kindCount];
            if (!objects.Memory.TryRead(kindBytes + (ulong)layout.Python.BytesData, kinds))
            {
                return null;
            }
        }
        else
        {
            // ≤3.10: f_localsplus holds the plain locals, then the cells, then the free variables.
            if (!objects.TryReadPointer(code + (ulong)layout.CodeLocalNames, out var names)
                || !objects.TryReadTupleItems(names, MaxNames, _names))
            {
                return null;
            }
            var plain = _names.Count;
            foreach (var offset in (ReadOnlySpan<int>)[layout.CodeCellNames, layout.CodeFreeNames])
            {
                _more.Clear();
                if (!objects.TryReadPointer(code + (ulong)offset, out var tuple) || !objects.TryReadTupleItems(tuple, MaxNames, _more))
                {
                    return null;
                }
                _names.AddRange(_more);
            }
            if (_names.Count > MaxNames)
            {
                return null;
            }
            kinds = new byte[_names.Count];
            kinds.AsSpan(plain).Fill(CellOrFreeKinds);
        }
        var count = Math.Min(_names.Count, MaxNames);
        var values = new byte[count * 8];
        if (!objects.Memory.TryRead(frame + (ulong)layout.FrameLocals, values))
        {
            return null;
        }
        var result = new List<LocalVariable>();
        for (var i = 0; i < count && result.Count < MaxLocals; i++)
        {
            if ((kinds[i] & HiddenKind) != 0)
            {
                continue;                             // 3.12+: an inlined comprehension's variable
            }
            var bits = BinaryPrimitives.ReadUInt64LittleEndian(values.AsSpan(i * 8, 8));
            var value = layout.Python.TaggedReferences ? StackRefs.ToObject(bits) : bits;
            if (value == 0)
            {
                continue;                             // not bound yet (or a tagged int, which locals never hold)
            }
            if (!objects.TryReadString(_names[i], PythonStrings.MaxChars, out var name, out _))
            {
                return null;
            }
            result.Add(new LocalVariable(ValueFormatter.Printable(name), (kinds[i] & CellOrFreeKinds) != 0 ? Cell : _values.Format(value)));
        }
        return result;
    }
}
