using System.Buffers.Binary;
using Pyrometer.Sampling.Memory;

namespace Pyrometer.Sampling.Python;

/// <summary>
/// Builds the layout of a 3.13+ interpreter from the <c>_Py_DebugOffsets</c> table CPython places at
/// the start of <c>_PyRuntime</c>. Only the first 24 bytes (cookie, version, free_threaded) are stable
/// across minors; the rest is read at per-minor positions and every value is sanity-checked against
/// the table's own <c>size</c> entries before it is trusted.
/// </summary>
internal static class DebugOffsetsReader
{
    /// <summary>Bytes read from <c>_PyRuntime</c>: more than any known table.</summary>
    public const int ReadLength = 1024;

    private static ReadOnlySpan<byte> Cookie => "xdebugpy"u8;

    /// <summary>Reads and parses the table of the process's runtime; null with a message on failure.</summary>
    public static PythonLayout? Read(IProcessMemory memory, ulong runtimeAddress, PythonVersion expected, out string error)
    {
        var table = new byte[ReadLength];
        var status = memory.ReadExact(runtimeAddress, table);
        if (status != ReadStatus.Ok)
        {
            error = $"Could not read _Py_DebugOffsets at 0x{runtimeAddress:x} ({status})";
            return null;
        }
        return Parse(table, expected, out error);
    }

    /// <summary>Parses a table copied from <c>_PyRuntime</c>; <paramref name="expected"/> is the version discovery found.</summary>
    public static PythonLayout? Parse(ReadOnlySpan<byte> table, PythonVersion expected, out string error)
    {
        if (table.Length < 24 || !table[..8].SequenceEqual(Cookie))
        {
            error = "No _Py_DebugOffsets cookie (\"xdebugpy\") at _PyRuntime; not a CPython 3.13+ runtime";
            return null;
        }
        var version = PythonVersion.FromHex(U64(table, 8), U64(table, 16) != 0);
        if (version.Major != expected.Major || version.Minor != expected.Minor
            || (expected.IsPreRelease || version.IsPreRelease ? version.Hex != expected.Hex : false))
        {
            error = $"_Py_DebugOffsets says CPython {version} but the interpreter was detected as {expected}";
            return null;
        }
        var positions = DebugOffsetsPositions.ForMinor(version.Minor);
        if (positions is null && version.Major == 3 && version.Minor > 15 && version.IsPreRelease)
        {
            positions = DebugOffsetsPositions.V315;   // an unknown pre-release: usable only if every check below passes
        }
        if (positions is null || table.Length < positions.TableSize)
        {
            error = $"CPython {version} (free-threaded: {(version.FreeThreaded ? "yes" : "no")}) is not supported by this profiler build";
            return null;
        }
        var layout = Build(table, positions, version);
        var problem = Check(table, positions, version);
        if (problem is not null)
        {
            error = $"CPython {version} (free-threaded: {(version.FreeThreaded ? "yes" : "no")}) is not supported by this profiler build: its debug offsets fail a self-check ({problem})";
            return null;
        }
        error = "";
        return layout;
    }

    private static PythonLayout Build(ReadOnlySpan<byte> t, DebugOffsetsPositions p, PythonVersion version)
    {
        var freeThreadedBits = version.FreeThreaded && version.Minor >= 14;
        var status = Field(t, p.Status);
        var gilState = Field(t, p.GilRuntimeState);
        return new PythonLayout
        {
            Version = version,
            Frames = FrameStyle.InterpreterFrame,
            LineTable = LineTableFormat.Locations,
            Gil = version.Minor == 13 ? GilStyle.StatusBit : GilStyle.HoldsGilField,
            RuntimeInterpretersHead = Field(t, p.InterpretersHead),
            InterpreterNext = Field(t, p.InterpreterNext),
            InterpreterThreadsHead = Field(t, p.ThreadsHead),
            InterpreterGilPointer = Field(t, p.CevalGil),
            InterpreterCodeGeneration = Field(t, p.CodeObjectGeneration),
            GilLastHolder = Field(t, p.GilHolder) - gilState,
            GilLockedDelta = Field(t, p.GilLocked) - Field(t, p.GilHolder),
            ThreadNext = Field(t, p.ThreadNext),
            ThreadInterp = Field(t, p.ThreadInterp),
            ThreadFrame = Field(t, p.CurrentFrame),
            ThreadId = Field(t, p.ThreadId),
            ThreadNativeId = Field(t, p.NativeThreadId),
            ThreadDataStackChunk = Field(t, p.DataStackChunk),
            // 3.13 keeps holds_gil as bit 5 of _status; 3.14 made it the int right after _status; 3.15 lists it.
            ThreadGilField = p.HoldsGil >= 0 ? Field(t, p.HoldsGil) : version.Minor == 13 ? status : status + 4,
            FrameSize = Field(t, p.FrameSize),
            FramePrevious = Field(t, p.FramePrevious),
            FrameCode = Field(t, p.FrameExecutable),
            FrameInstruction = Field(t, p.FrameInstrPtr),
            FrameOwner = Field(t, p.FrameOwner),
            // 3.13: CSTACK = 3. 3.14: INTERPRETER = 3, CSTACK = 4. 3.15: INTERPRETER = 3 (+ THREAD_STATE = 4 in later snapshots).
            MaxOwner = version.Minor == 13 ? 3 : 4,
            FirstSkippedOwner = 3,
            FrameTlbcIndex = version.FreeThreaded && p.FrameTlbcIndex >= 0 ? Field(t, p.FrameTlbcIndex) : PythonLayout.Absent,
            TaggedReferences = version.Minor >= 14,
            CodeSize = Field(t, p.CodeSize),
            CodeFirstLineNo = Field(t, p.CodeFirstLineNo),
            CodeFilename = Field(t, p.CodeFilename),
            CodeName = Field(t, p.CodeName),
            CodeQualname = Field(t, p.CodeQualname),
            CodeLineTable = Field(t, p.CodeLineTable),
            CodeAdaptive = Field(t, p.CodeAdaptive),
            CodeTlbc = version.FreeThreaded && p.CodeTlbc >= 0 ? Field(t, p.CodeTlbc) : PythonLayout.Absent,
            ObjectType = Field(t, p.ObjectType),
            VarObjectSize = Field(t, p.ObjectSize),   // ob_size directly follows the object header
            BytesSize = Field(t, p.BytesObSize),
            BytesData = Field(t, p.BytesData),
            UnicodeLength = Field(t, p.UnicodeLength),
            UnicodeState = Field(t, p.UnicodeState),
            UnicodeAsciiData = Field(t, p.UnicodeAsciiSize),
            // PyCompactUnicodeObject adds utf8_length and utf8 (no wstr since 3.12).
            UnicodeCompactData = p.UnicodeCompactSize >= 0 ? Field(t, p.UnicodeCompactSize) : Field(t, p.UnicodeAsciiSize) + 16,
            // 3.14t made `interned` a whole byte, pushing kind/compact/ascii up to bits 8/11/12.
            UnicodeKindShift = freeThreadedBits ? 8 : 2,
            UnicodeCompactBit = freeThreadedBits ? 11 : 5,
            UnicodeAsciiBit = freeThreadedBits ? 12 : 6,
        };
    }

    /// <summary>Plausibility of the values read; null when all hold, else what failed.</summary>
    private static string? Check(ReadOnlySpan<byte> t, DebugOffsetsPositions p, PythonVersion version)
    {
        var header = version.FreeThreaded ? 32 : 16;
        if (Field(t, p.ObjectSize) != header || Field(t, p.ObjectType) != header - 8)
        {
            return $"object header {Field(t, p.ObjectSize)}/{Field(t, p.ObjectType)}";
        }
        if (Field(t, p.ThreadNext) != 8 || Field(t, p.ThreadInterp) != 16)
        {
            return "thread state prev/next/interp";
        }
        var checks = new (string Name, int Size, int Min, int Max, int[] Fields)[]
        {
            ("runtime", Field(t, p.RuntimeSize), 64, 16 << 20, [Field(t, p.InterpretersHead)]),
            ("interpreter", Field(t, p.InterpreterSize), 64, 16 << 20,
                [Field(t, p.InterpreterNext), Field(t, p.ThreadsHead), Field(t, p.CevalGil), Field(t, p.GilLocked), Field(t, p.GilHolder),
                 p.CodeObjectGeneration >= 0 ? Field(t, p.CodeObjectGeneration) : 0]),
            ("thread", Field(t, p.ThreadSize), 64, 64 << 10,
                [Field(t, p.CurrentFrame), Field(t, p.ThreadId), Field(t, p.NativeThreadId), Field(t, p.DataStackChunk) + 8, Field(t, p.Status),
                 p.HoldsGil >= 0 ? Field(t, p.HoldsGil) : Field(t, p.Status) + 4]),
            ("frame", Field(t, p.FrameSize), 48, 256,
                [Field(t, p.FramePrevious), Field(t, p.FrameExecutable), Field(t, p.FrameInstrPtr), Field(t, p.FrameOwner)]),
            ("code", Field(t, p.CodeSize), 96, 1024,
                [Field(t, p.CodeFilename), Field(t, p.CodeName), Field(t, p.CodeQualname), Field(t, p.CodeLineTable), Field(t, p.CodeFirstLineNo)]),
            ("bytes", Field(t, p.BytesSize), header + 8, 128, [Field(t, p.BytesObSize)]),
            ("unicode", Field(t, p.UnicodeSize), header + 16, 256, [Field(t, p.UnicodeState), Field(t, p.UnicodeLength)]),
        };
        foreach (var (name, size, min, max, fields) in checks)
        {
            if (size < min || size > max)
            {
                return $"{name} size {size}";
            }
            foreach (var field in fields)
            {
                if (field < 0 || field >= size)
                {
                    return $"{name} field offset {field} outside size {size}";
                }
            }
        }
        if (Field(t, p.CodeAdaptive) < Field(t, p.CodeFirstLineNo) || Field(t, p.CodeAdaptive) > Field(t, p.CodeSize))
        {
            return "co_code_adaptive";
        }
        var ascii = Field(t, p.UnicodeAsciiSize);
        if (ascii < header + 16 || ascii > 128 || Field(t, p.BytesData) > 128)
        {
            return "string or bytes header size";
        }
        return null;
    }

    // Values above int range are absurd for an offset; they map to -1 and then fail the checks.
    private static int Field(ReadOnlySpan<byte> table, int position)
    {
        if (position < 0)
        {
            return PythonLayout.Absent;
        }
        var value = U64(table, position);
        return value <= int.MaxValue ? (int)value : -1;
    }

    private static ulong U64(ReadOnlySpan<byte> table, int position) =>
        BinaryPrimitives.ReadUInt64LittleEndian(table.Slice(position, 8));
}
