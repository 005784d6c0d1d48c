using System.Buffers.Binary;
using Pyrometer.Sampling.Python;
using Pyrometer.Sampling.Target;

namespace Pyrometer.Sampling.Tests.Fakes;

/// <summary>
/// Lays out a synthetic CPython process per a layout: runtime, interpreters, thread states, frames
/// (heap frame objects ≤3.10, data-stack chunks 3.11+), code objects, strings and line tables, in a
/// <see cref="FakeProcessMemory"/>. 3.13+ runtimes start with a synthetic debug-offsets block.
/// </summary>
internal sealed class PythonImageBuilder
{
    public const ulong HeapBase = 0x5500_0000_0000;
    public const ulong RuntimeBase = 0x7f00_1000_0000;
    public const ulong TypesBase = 0x7f00_2000_0000;
    public const ulong CodeType = TypesBase;
    public const ulong UnicodeType = TypesBase + 0x400;
    public const ulong BytesType = TypesBase + 0x800;
    public const ulong NoneObject = TypesBase + 0xC00;

    private readonly byte[] _heap;
    private readonly byte[] _runtime = new byte[64 << 10];
    private readonly Dictionary<string, ulong> _strings = [];
    private int _top = 64;
    private ulong _gil;

    public PythonImageBuilder(PythonVersion version, int heapBytes = 8 << 20, FakeProcessMemory? memory = null)
    {
        Version = version;
        Memory = memory ?? new FakeProcessMemory();
        _heap = new byte[heapBytes];
        Memory.Map(HeapBase, _heap);
        Memory.Map(RuntimeBase, _runtime);
        Memory.Map(TypesBase, new byte[0x1000]);
        if (version.Minor >= 13)
        {
            DebugTables.Table(version).CopyTo(_runtime, 0);
            Layout = DebugOffsetsReader.Parse(_runtime, version, out var error) ?? throw new InvalidOperationException(error);
        }
        else
        {
            Layout = KnownLayouts.For(version, out var error) ?? throw new InvalidOperationException(error);
        }
        if (Layout.Gil == GilStyle.InterpreterGilPointer)
        {
            _gil = Alloc(32);
        }
    }

    public PythonVersion Version { get; }

    public PythonLayout Layout { get; }

    public FakeProcessMemory Memory { get; }

    public static ulong Runtime => RuntimeBase;

    public byte[] Heap => _heap;

    public InterpreterLocation Location() => new(
        Memory.ProcessId, Version, RuntimeBase,
        new Dictionary<string, ulong>
        {
            ["_PyRuntime"] = RuntimeBase,
            ["PyCode_Type"] = CodeType,
            ["PyUnicode_Type"] = UnicodeType,
            ["PyBytes_Type"] = BytesType,
        },
        "/usr/lib/libpython-fake.so");

    public ulong Alloc(int size)
    {
        var address = HeapBase + (ulong)_top;
        _top += (size + 15) & ~15;
        if (_top > _heap.Length)
        {
            throw new InvalidOperationException("Fake heap exhausted; pass a larger heapBytes.");
        }
        return address;
    }

    public void U64(ulong address, ulong value) => BinaryPrimitives.WriteUInt64LittleEndian(Span(address, 8), value);

    public void I32(ulong address, int value) => BinaryPrimitives.WriteInt32LittleEndian(Span(address, 4), value);

    public void U8(ulong address, byte value) => Span(address, 1)[0] = value;

    public Span<byte> Span(ulong address, int length) => address >= RuntimeBase && address < RuntimeBase + (ulong)_runtime.Length
        ? _runtime.AsSpan((int)(address - RuntimeBase), length)
        : _heap.AsSpan((int)(address - HeapBase), length);

    /// <summary>A compact str object (ASCII, Latin-1, UCS-2 or UCS-4 as the text needs); equal texts share one object.</summary>
    public ulong Str(string text)
    {
        if (_strings.TryGetValue(text, out var existing))
        {
            return existing;
        }
        var points = new List<int>();
        for (var i = 0; i < text.Length; i += char.IsSurrogatePair(text, i) ? 2 : 1)
        {
            points.Add(char.ConvertToUtf32(text, i));
        }
        var max = points.Count == 0 ? 0 : points.Max();
        var kind = max <= 0xFF ? 1 : max <= 0xFFFF ? 2 : 4;
        var ascii = max <= 0x7F;
        var dataOffset = ascii ? Layout.UnicodeAsciiData : Layout.UnicodeCompactData;
        var address = Alloc(dataOffset + (points.Count + 1) * kind);
        U64(address + (ulong)Layout.ObjectType, UnicodeType);
        U64(address + (ulong)Layout.UnicodeLength, (ulong)points.Count);
        var state = (uint)kind << Layout.UnicodeKindShift | 1u << Layout.UnicodeCompactBit | (ascii ? 1u << Layout.UnicodeAsciiBit : 0) | 1u;
        BinaryPrimitives.WriteUInt32LittleEndian(Span(address + (ulong)Layout.UnicodeState, 4), state);
        var data = Span(address + (ulong)dataOffset, points.Count * kind);
        for (var i = 0; i < points.Count; i++)
        {
            switch (kind)
            {
                case 1:
                    data[i] = (byte)points[i];
                    break;
                case 2:
                    BinaryPrimitives.WriteUInt16LittleEndian(data[(i * 2)..], (ushort)points[i]);
                    break;
                default:
                    BinaryPrimitives.WriteUInt32LittleEndian(data[(i * 4)..], (uint)points[i]);
                    break;
            }
        }
        _strings[text] = address;
        return address;
    }

    public ulong Bytes(ReadOnlySpan<byte> payload)
    {
        var address = Alloc(Layout.BytesData + payload.Length + 1);
        U64(address + (ulong)Layout.ObjectType, BytesType);
        U64(address + (ulong)Layout.BytesSize, (ulong)payload.Length);
        payload.CopyTo(Span(address + (ulong)Layout.BytesData, payload.Length));
        return address;
    }

    /// <summary>A code object whose code unit <c>i</c> is on line <c>lines[i]</c> (0 = no line).</summary>
    public ulong Code(string name, string qualname, string file, int firstLine, IReadOnlyList<int> lines)
    {
        var units = lines.Count;
        var address = Alloc(Layout.CodeSize + units * 2 + 16);
        U64(address + (ulong)Layout.ObjectType, CodeType);
        U64(address + (ulong)Layout.VarObjectSize, Layout.CodeAdaptive >= 0 ? (ulong)units : 0);
        I32(address + (ulong)Layout.CodeFirstLineNo, firstLine);
        U64(address + (ulong)Layout.CodeFilename, Str(file));
        U64(address + (ulong)Layout.CodeName, Str(name));
        if (Layout.CodeQualname >= 0)
        {
            U64(address + (ulong)Layout.CodeQualname, Str(qualname));
        }
        U64(address + (ulong)Layout.CodeLineTable, Bytes(LineTableEncoder.Encode(Layout.LineTable, firstLine, lines)));
        if (Layout.CodeBytecode >= 0)
        {
            U64(address + (ulong)Layout.CodeBytecode, Bytes(new byte[units * 2]));
        }
        return address;
    }

    /// <summary>Adds an interpreter at the head of the runtime's list.</summary>
    public ulong Interpreter()
    {
        var l = Layout;
        var size = new[] { l.InterpreterNext, l.InterpreterThreadsHead, l.InterpreterGilPointer, l.InterpreterCodeGeneration }.Max() + 64;
        var address = Alloc(size);
        var headField = Runtime + (ulong)l.RuntimeInterpretersHead;
        U64(address + (ulong)l.InterpreterNext, ReadU64(headField));
        U64(headField, address);
        if (l.InterpreterGilPointer >= 0)
        {
            U64(address + (ulong)l.InterpreterGilPointer, _gil != 0 ? _gil : address + (ulong)(size - 48));
        }
        return address;
    }

    public ulong ReadU64(ulong address) => BinaryPrimitives.ReadUInt64LittleEndian(Span(address, 8));

    /// <summary>Adds a thread (pushed at the head of the interpreter's list, as CPython does) with frames innermost first.</summary>
    public ulong Thread(ulong interpreter, int nativeId, IReadOnlyList<FakeFrame> frames)
    {
        var l = Layout;
        var tstate = Alloc(l.ThreadReadLength + 64);
        var headField = interpreter + (ulong)l.InterpreterThreadsHead;
        var oldHead = ReadU64(headField);
        U64(tstate + (ulong)l.ThreadNext, oldHead);
        if (oldHead != 0)
        {
            U64(oldHead, tstate);                    // prev is at 0 in every version
        }
        U64(headField, tstate);
        U64(tstate + (ulong)l.ThreadInterp, interpreter);

        ulong threadId;
        if (l.ThreadNativeId >= 0)
        {
            threadId = 0x7f00_3000_0000 + (ulong)nativeId * 0x1000;
            U64(tstate + (ulong)l.ThreadNativeId, (ulong)nativeId);
        }
        else
        {
            threadId = Alloc(StackWalker.PthreadScanBytes);   // glibc: pthread_t is the struct pthread's address
            I32(threadId + 720, nativeId);
        }
        U64(tstate + (ulong)l.ThreadId, threadId);
        var innermost = l.Frames == FrameStyle.FrameObject ? HeapFrames(frames) : ChunkFrames(tstate, frames);
        if (l.CFrameCurrentFrame >= 0)
        {
            var cframe = Alloc(32);
            U64(cframe + (ulong)l.CFrameCurrentFrame, innermost);
            U64(tstate + (ulong)l.ThreadFrame, cframe);
        }
        else
        {
            U64(tstate + (ulong)l.ThreadFrame, innermost);
        }
        return tstate;
    }

    /// <summary>Marks the thread as the GIL holder, the way its version records it.</summary>
    public void HoldGil(ulong interpreter, ulong tstate)
    {
        var l = Layout;
        switch (l.Gil)
        {
            case GilStyle.RuntimeGil:
                U64(Runtime + (ulong)l.RuntimeGilLastHolder, tstate);
                I32(Runtime + (ulong)(l.RuntimeGilLastHolder + l.GilLockedDelta), 1);
                break;
            case GilStyle.InterpreterGilPointer:
                var gil = ReadU64(interpreter + (ulong)l.InterpreterGilPointer);
                U64(gil + (ulong)l.GilLastHolder, tstate);
                I32(gil + (ulong)(l.GilLastHolder + l.GilLockedDelta), 1);
                break;
            case GilStyle.StatusBit:
                I32(tstate + (ulong)l.ThreadGilField, 0b11011 | 1 << l.HoldsGilBit);
                break;
            case GilStyle.HoldsGilField:
                I32(tstate + (ulong)l.ThreadGilField, 1);
                break;
            default:
                break;
        }
    }

    public void SetCodeGeneration(ulong interpreter, ulong generation) =>
        U64(interpreter + (ulong)Layout.InterpreterCodeGeneration, generation);

    private ulong HeapFrames(IReadOnlyList<FakeFrame> frames)
    {
        var older = 0UL;
        for (var i = frames.Count - 1; i >= 0; i--)
        {
            var frame = Alloc(Layout.FrameSize);
            U64(frame, 1);                           // ob_refcnt: a live frame object
            U64(frame + (ulong)Layout.FramePrevious, older);
            U64(frame + (ulong)Layout.FrameCode, frames[i].Code);
            // f_lasti: bytes in 3.8/3.9, code units in 3.10; -1 = not started in both.
            var index = frames[i].Index;
            I32(frame + (ulong)Layout.FrameInstruction, index < 0 || Layout.LineTable != LineTableFormat.Lnotab ? index : index * 2);
            older = frame;
        }
        return older;
    }

    private ulong ChunkFrames(ulong tstate, IReadOnlyList<FakeFrame> frames)
    {
        var slot = Layout.FrameSize + 24;            // the struct plus a few locals
        var chunkSize = Math.Max(16 << 10, 32 + slot * (frames.Count + 1));
        var chunk = Alloc(chunkSize);
        U64(chunk + 8, (ulong)chunkSize);
        var next = chunk + 24;
        var older = WriteChunkFrames(frames, 0, ref next);
        U64(chunk + 16, next);
        U64(tstate + (ulong)Layout.ThreadDataStackChunk, chunk);
        U64(tstate + (ulong)Layout.ThreadDataStackChunk + 8, next);
        return older;
    }

    /// <summary>Pushes frames (innermost first) on a thread's data stack (3.11+): in its chunk, or in a new one as CPython does when a chunk is full.</summary>
    public void Push(ulong tstate, IReadOnlyList<FakeFrame> frames, bool newChunk = false)
    {
        var l = Layout;
        var innermostField = InnermostField(tstate);
        var chunk = ReadU64(tstate + (ulong)l.ThreadDataStackChunk);
        var next = ReadU64(tstate + (ulong)l.ThreadDataStackChunk + 8);
        if (newChunk)
        {
            var size = 16 << 10;
            var fresh = Alloc(size);
            U64(fresh, chunk);                       // previous chunk
            U64(fresh + 8, (ulong)size);
            chunk = fresh;
            next = fresh + 24;
        }
        var innermost = WriteChunkFrames(frames, ReadU64(innermostField), ref next);
        U64(chunk + 16, next);
        U64(tstate + (ulong)l.ThreadDataStackChunk, chunk);
        U64(tstate + (ulong)l.ThreadDataStackChunk + 8, next);
        U64(innermostField, innermost);
    }

    /// <summary>Returns from the innermost frame of a thread whose frames are in its chunk (3.11+).</summary>
    public void Pop(ulong tstate)
    {
        var field = InnermostField(tstate);
        var innermost = ReadU64(field);
        U64(field, ReadU64(innermost + (ulong)Layout.FramePrevious));
        U64(tstate + (ulong)Layout.ThreadDataStackChunk + 8, innermost);
    }

    /// <summary>3.11/3.12: the thread enters a new eval loop, so its cframe moves (the old one keeps its stale contents).</summary>
    public void MoveCFrame(ulong tstate)
    {
        var cframe = Alloc(32);
        U64(cframe + (ulong)Layout.CFrameCurrentFrame, ReadU64(InnermostField(tstate)));
        U64(tstate + (ulong)Layout.ThreadFrame, cframe);
    }

    private ulong InnermostField(ulong tstate) => Layout.CFrameCurrentFrame >= 0
        ? ReadU64(tstate + (ulong)Layout.ThreadFrame) + (ulong)Layout.CFrameCurrentFrame
        : tstate + (ulong)Layout.ThreadFrame;

    // Lays frames (innermost first) out from `next` on, the outermost pointing at `older`; returns the innermost.
    // A thread's first frames sit on its base frame, as in CPython: 3.11 marks the outermost an entry
    // frame, 3.12+ puts the eval loop's C-stack shim (here in the chunk, to keep call counts) below it.
    private ulong WriteChunkFrames(IReadOnlyList<FakeFrame> frames, ulong older, ref ulong next)
    {
        var slot = Layout.FrameSize + 24;            // the struct plus a few locals
        var atBase = older == 0 && frames.Count > 0;
        if (atBase && Layout.FirstSkippedOwner != int.MaxValue && frames[^1].Owner < Layout.FirstSkippedOwner)
        {
            frames = [.. frames, new FakeFrame(0, 0, Owner: Layout.FirstSkippedOwner)];
        }
        for (var i = frames.Count - 1; i >= 0; i--)
        {
            var spec = frames[i];
            ulong frame;
            if (spec.Generator)
            {
                frame = Alloc(Layout.FrameSize + 64);  // embedded in a generator object on the heap
            }
            else
            {
                frame = next;
                next += (ulong)slot;
            }
            U64(frame + (ulong)Layout.FramePrevious, older);
            U8(frame + (ulong)Layout.FrameOwner, (byte)spec.Owner);
            var code = spec.Code == 0 && Layout.Version.Minor == 13 ? NoneObject : spec.Code;
            // 3.14+: f_executable is a tagged reference; alternate plain and refcount-tagged (bit 0) ones.
            var bits = Layout.TaggedReferences ? (spec.Code == 0 ? 1UL : code | (uint)(i & 1)) : code;
            U64(frame + (ulong)Layout.FrameCode, bits);
            if (spec.Code != 0)
            {
                U64(frame + (ulong)Layout.FrameInstruction, spec.Code + (ulong)Layout.CodeAdaptive + (ulong)(spec.Index * 2L));
            }
            if (atBase && i == frames.Count - 1 && Layout.FrameIsEntry >= 0)
            {
                U8(frame + (ulong)Layout.FrameIsEntry, 1);
            }
            older = frame;
        }
        return older;
    }

    /// <summary>
    /// The target changes the chain under the reader: the thread's frame <paramref name="depth"/> levels
    /// out from the innermost now ends the chain (≤3.10: freed, so no references and f_back NULL at the
    /// free list's end; 3.11+: its <c>previous</c> read as NULL). Returns the frame's address.
    /// </summary>
    public ulong Tear(ulong tstate, int depth)
    {
        var frame = ReadU64(InnermostField(tstate));
        for (var i = 0; i < depth; i++)
        {
            frame = ReadU64(frame + (ulong)Layout.FramePrevious);
        }
        if (Layout.Frames == FrameStyle.FrameObject)
        {
            U64(frame, 0);
        }
        U64(frame + (ulong)Layout.FramePrevious, 0);
        return frame;
    }

    /// <summary>
    /// The target hands a frame to another thread under the reader: the thread's frame <paramref name="depth"/>
    /// levels out now points back into <paramref name="onto"/>'s chain at <paramref name="ontoDepth"/>, so its
    /// chain ends at that thread's base, every frame on the way live.
    /// </summary>
    public void Graft(ulong tstate, int depth, ulong onto, int ontoDepth)
    {
        U64(FrameAt(tstate, depth) + (ulong)Layout.FramePrevious, FrameAt(onto, ontoDepth));
    }

    private ulong FrameAt(ulong tstate, int depth)
    {
        var frame = ReadU64(InnermostField(tstate));
        for (var i = 0; i < depth; i++)
        {
            frame = ReadU64(frame + (ulong)Layout.FramePrevious);
        }
        return frame;
    }
}
