namespace Pyrometer.Sampling.Python;

/// <summary>
/// Every offset and per-version rule the stack walker uses, as data. Offsets are bytes from the start
/// of the named structure; <see cref="Absent"/> marks a field the version does not have. Built by
/// <see cref="KnownLayouts"/> (3.8–3.12) or <see cref="DebugOffsetsReader"/> (3.13+).
/// </summary>
internal sealed record PythonLayout
{
    /// <summary>Marks a field the version lacks.</summary>
    public const int Absent = -1;

    public required PythonVersion Version { get; init; }

    public required FrameStyle Frames { get; init; }

    public required LineTableFormat LineTable { get; init; }

    public required GilStyle Gil { get; init; }

    // _PyRuntimeState
    public required int RuntimeInterpretersHead { get; init; }

    /// <summary>≤3.11: <c>_PyRuntime.ceval.gil.last_holder</c>; <c>locked</c> follows at <see cref="GilLockedDelta"/>.</summary>
    public int RuntimeGilLastHolder { get; init; } = Absent;

    // PyInterpreterState
    public required int InterpreterNext { get; init; }

    public required int InterpreterThreadsHead { get; init; }

    /// <summary>3.12+: pointer to the GIL in use (<c>interp->ceval.gil</c>).</summary>
    public int InterpreterGilPointer { get; init; } = Absent;

    /// <summary>3.14+: counter bumped by every code-object deallocation; drives code-cache invalidation.</summary>
    public int InterpreterCodeGeneration { get; init; } = Absent;

    /// <summary>Within the GIL struct: <c>last_holder</c>.</summary>
    public int GilLastHolder { get; init; } = 8;

    /// <summary><c>locked</c> (an int) relative to <c>last_holder</c>.</summary>
    public int GilLockedDelta { get; init; } = 8;

    // PyThreadState
    public required int ThreadNext { get; init; }

    public required int ThreadInterp { get; init; }

    /// <summary>3.8–3.10 <c>frame</c>; 3.11/3.12 <c>cframe</c> (see <see cref="CFrameCurrentFrame"/>); 3.13+ <c>current_frame</c>.</summary>
    public required int ThreadFrame { get; init; }

    /// <summary>3.11/3.12: <c>_PyCFrame.current_frame</c>; <see cref="Absent"/> when <see cref="ThreadFrame"/> is the frame itself.</summary>
    public int CFrameCurrentFrame { get; init; } = Absent;

    public required int ThreadId { get; init; }

    public int ThreadNativeId { get; init; } = Absent;

    /// <summary>3.11+: <c>datastack_chunk</c>; <c>datastack_top</c> follows 8 bytes later in every version.</summary>
    public int ThreadDataStackChunk { get; init; } = Absent;

    /// <summary>3.13: the <c>_status</c> bit-field word; 3.14+: the <c>holds_gil</c> int.</summary>
    public int ThreadGilField { get; init; } = Absent;

    /// <summary>3.13: bit of <c>_status</c> set while the thread holds the GIL.</summary>
    public int HoldsGilBit { get; init; } = 5;

    // Frames
    public required int FrameSize { get; init; }

    /// <summary><c>f_back</c> (≤3.10) or <c>previous</c> (3.11+).</summary>
    public required int FramePrevious { get; init; }

    /// <summary><c>f_code</c> / <c>f_executable</c> (a tagged reference in 3.14+).</summary>
    public required int FrameCode { get; init; }

    /// <summary><c>f_lasti</c> (int, ≤3.10) or <c>prev_instr</c>/<c>instr_ptr</c> (pointer, 3.11+).</summary>
    public required int FrameInstruction { get; init; }

    public int FrameOwner { get; init; } = Absent;

    /// <summary>Largest valid owner value; owners at or above <see cref="FirstSkippedOwner"/> are not Python frames.</summary>
    public int MaxOwner { get; init; } = 2;

    public int FirstSkippedOwner { get; init; } = int.MaxValue;

    /// <summary>3.11: <c>is_entry</c> (bool), set on the frame an eval loop was entered with, so on a thread's bottom frame.</summary>
    public int FrameIsEntry { get; init; } = Absent;

    /// <summary>3.14t: the frame's thread-local-bytecode index (int32).</summary>
    public int FrameTlbcIndex { get; init; } = Absent;

    /// <summary>3.14+: <c>f_executable</c> is a <c>_PyStackRef</c> whose low two bits are tags.</summary>
    public bool TaggedReferences { get; init; }

    // Code objects
    public required int CodeSize { get; init; }

    public required int CodeFirstLineNo { get; init; }

    public required int CodeFilename { get; init; }

    public required int CodeName { get; init; }

    public int CodeQualname { get; init; } = Absent;

    public required int CodeLineTable { get; init; }

    /// <summary>≤3.10: <c>co_code</c> (a bytes object, whose size bounds <c>f_lasti</c>).</summary>
    public int CodeBytecode { get; init; } = Absent;

    /// <summary>3.11+: where the bytecode starts inside the code object.</summary>
    public int CodeAdaptive { get; init; } = Absent;

    /// <summary>3.14t: <c>co_tlbc</c>, a <c>_PyCodeArray*</c> (size, then entries from +8).</summary>
    public int CodeTlbc { get; init; } = Absent;

    /// <summary>
    /// <c>co_flags</c> (int32). Not in the debug offsets, but its place has held in every version: ≤3.10 after
    /// the object header and five ints (argcount … stacksize), 3.11+ after the var-object header and three
    /// pointers (consts, names, exceptiontable); checked on 3.8–3.15 by reading it next to <c>code.co_flags</c>.
    /// </summary>
    public int CodeFlags => Frames == FrameStyle.FrameObject ? ObjectType + 8 + 5 * 4 : VarObjectSize + 8 + 3 * 8;

    // Objects
    public required int ObjectType { get; init; }

    /// <summary><c>PyVarObject.ob_size</c> (for 3.11+ code objects: the bytecode length in code units).</summary>
    public required int VarObjectSize { get; init; }

    public required int BytesSize { get; init; }

    public required int BytesData { get; init; }

    public required int UnicodeLength { get; init; }

    public required int UnicodeState { get; init; }

    public required int UnicodeAsciiData { get; init; }

    public required int UnicodeCompactData { get; init; }

    /// <summary>Bit positions in the 32-bit state word (differ in 3.14t, where interned is a whole byte).</summary>
    public int UnicodeKindShift { get; init; } = 2;

    public int UnicodeCompactBit { get; init; } = 5;

    public int UnicodeAsciiBit { get; init; } = 6;

    /// <summary>Bytes of a thread state the walker reads at once (covers every thread field used).</summary>
    public int ThreadReadLength => MaxEnd(8, ThreadNext, ThreadInterp, ThreadFrame, ThreadId, ThreadNativeId,
        ThreadDataStackChunk == Absent ? Absent : ThreadDataStackChunk + 8, ThreadGilField);

    /// <summary>Bytes of a frame the walker reads (up to and including the last field used; owner is one byte, hence -7).</summary>
    public int FrameReadLength => MaxEnd(8, FramePrevious, FrameCode, FrameInstruction, FrameTlbcIndex,
        FrameOwner == Absent ? Absent : FrameOwner - 7, FrameIsEntry == Absent ? Absent : FrameIsEntry - 7);

    /// <summary>Bytes of a code object the walker reads.</summary>
    public int CodeReadLength => MaxEnd(8, ObjectType, VarObjectSize, CodeFirstLineNo - 4, CodeFilename, CodeName, CodeQualname,
        CodeLineTable, CodeBytecode, CodeTlbc, CodeFlags - 4);

    /// <summary>Bytes of a string header covering every form's data start.</summary>
    public int UnicodeHeaderLength => Math.Max(UnicodeCompactData, Math.Max(UnicodeState + 4, UnicodeLength + 8));

    private static int MaxEnd(int width, params ReadOnlySpan<int> offsets)
    {
        var end = 0;
        foreach (var offset in offsets)
        {
            if (offset != Absent)
            {
                end = Math.Max(end, offset + width);
            }
        }
        return end;
    }
}
