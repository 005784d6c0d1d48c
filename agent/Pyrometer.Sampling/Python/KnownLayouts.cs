namespace Pyrometer.Sampling.Python;

/// <summary>
/// Compiled-in layouts for the GIL builds of CPython 3.8–3.12 on x86-64 Linux. The numbers come from
/// <c>hack/layouts/offsets.c</c> compiled against each version's headers (3.8.18, 3.9.18, 3.10.13,
/// 3.11.7, 3.12.1); <c>hack/layouts/print-layouts.sh</c> reprints them. 3.13+ describe themselves
/// through <c>_Py_DebugOffsets</c> (see <see cref="DebugOffsetsReader"/>).
/// </summary>
internal static class KnownLayouts
{
    /// <summary>Returns the layout for a 3.8–3.12 GIL build, or null (with the reason) for anything else.</summary>
    public static PythonLayout? For(PythonVersion version, out string error)
    {
        error = "";
        if (version.Major != 3 || version.Minor is < 8 or > 12)
        {
            error = $"CPython {version} has no compiled-in layout (3.8–3.12 only; 3.13+ use the interpreter's debug offsets)";
            return null;
        }
        if (version.FreeThreaded)
        {
            error = $"CPython {version} is free-threaded, which only 3.13+ builds can be";
            return null;
        }
        return version.Minor switch
        {
            8 => V38(version),
            9 => V39(version),
            10 => V310(version),
            11 => V311(version),
            _ => V312(version),
        };
    }

    private static PythonLayout V39(PythonVersion version) => new()
    {
        Version = version,
        Frames = FrameStyle.FrameObject,
        LineTable = LineTableFormat.Lnotab,
        Gil = GilStyle.RuntimeGil,
        RuntimeInterpretersHead = 32,
        RuntimeGilLastHolder = 360,
        InterpreterNext = 0,
        InterpreterThreadsHead = 8,
        ThreadNext = 8,
        ThreadInterp = 16,
        ThreadFrame = 24,
        ThreadId = 176,
        FrameSize = 368,
        FramePrevious = 24,
        FrameCode = 32,
        FrameInstruction = 104,
        CodeSize = 176,
        CodeFirstLineNo = 40,
        CodeBytecode = 48,
        CodeFilename = 104,
        CodeName = 112,
        CodeLineTable = 120,
        ObjectType = 8,
        VarObjectSize = 16,
        BytesSize = 16,
        BytesData = 32,
        UnicodeLength = 16,
        UnicodeState = 32,
        UnicodeAsciiData = 48,
        UnicodeCompactData = 72,
    };

    // 3.8 differs from 3.9 only in the runtime state, whose GIL sits much further in (the
    // interpreter's and the thread's structures are the same for every field we read).
    private static PythonLayout V38(PythonVersion version) => V39(version) with
    {
        RuntimeGilLastHolder = 1160,
    };

    private static PythonLayout V310(PythonVersion version) => V39(version) with
    {
        LineTable = LineTableFormat.LineTable310,
        FrameSize = 360,
        FrameInstruction = 96,
    };

    private static PythonLayout V311(PythonVersion version) => new()
    {
        Version = version,
        Frames = FrameStyle.InterpreterFrame,
        LineTable = LineTableFormat.Locations,
        Gil = GilStyle.RuntimeGil,
        RuntimeInterpretersHead = 40,
        RuntimeGilLastHolder = 368,
        InterpreterNext = 0,
        InterpreterThreadsHead = 16,
        ThreadNext = 8,
        ThreadInterp = 16,
        ThreadFrame = 56,
        CFrameCurrentFrame = 8,
        ThreadId = 152,
        ThreadNativeId = 160,
        ThreadDataStackChunk = 296,
        FrameSize = 80,
        FramePrevious = 48,
        FrameCode = 32,
        FrameInstruction = 56,
        FrameOwner = 69,
        FrameIsEntry = 68,
        MaxOwner = 2,
        CodeSize = 192,
        CodeFirstLineNo = 72,
        CodeFilename = 112,
        CodeName = 120,
        CodeQualname = 128,
        CodeLineTable = 136,
        CodeAdaptive = 184,
        ObjectType = 8,
        VarObjectSize = 16,
        BytesSize = 16,
        BytesData = 32,
        UnicodeLength = 16,
        UnicodeState = 32,
        UnicodeAsciiData = 48,
        UnicodeCompactData = 72,
    };

    private static PythonLayout V312(PythonVersion version) => V311(version) with
    {
        Gil = GilStyle.InterpreterGilPointer,
        RuntimeGilLastHolder = PythonLayout.Absent,
        InterpreterThreadsHead = 72,
        InterpreterGilPointer = 384,
        ThreadId = 136,
        ThreadNativeId = 144,
        ThreadDataStackChunk = 232,
        CFrameCurrentFrame = 0,
        FramePrevious = 8,
        FrameCode = 0,
        FrameOwner = 70,
        FrameIsEntry = PythonLayout.Absent,
        // FRAME_OWNED_BY_CSTACK (3) marks the shim frame C code pushes when it enters the eval loop.
        MaxOwner = 3,
        FirstSkippedOwner = 3,
        CodeFirstLineNo = 68,
        CodeAdaptive = 192,
        CodeSize = 200,
        UnicodeAsciiData = 40,
        UnicodeCompactData = 56,
    };
}
