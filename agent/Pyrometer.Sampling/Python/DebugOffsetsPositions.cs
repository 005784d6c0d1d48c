namespace Pyrometer.Sampling.Python;

/// <summary>
/// Where each field the walker needs sits inside one minor version's <c>_Py_DebugOffsets</c> table
/// (byte positions of <c>uint64</c> entries; -1 = the table has no such entry). The struct itself
/// changes between minors, so these come from each minor's <c>pycore_debug_offsets.h</c>
/// (3.13: <c>pycore_runtime.h</c>) via <c>hack/layouts/debug_offsets.c</c>: 3.13.0/3.13.18,
/// 3.14.10 and 3.15.2 headers.
/// </summary>
internal sealed record DebugOffsetsPositions(
    int TableSize,
    int RuntimeSize, int InterpretersHead,
    int InterpreterSize, int InterpreterNext, int ThreadsHead, int CevalGil, int GilRuntimeState,
    int GilLocked, int GilHolder, int CodeObjectGeneration,
    int ThreadSize, int ThreadNext, int ThreadInterp, int CurrentFrame, int ThreadId, int NativeThreadId,
    int DataStackChunk, int Status, int HoldsGil,
    int FrameSize, int FramePrevious, int FrameExecutable, int FrameInstrPtr, int FrameOwner, int FrameTlbcIndex,
    int CodeSize, int CodeFilename, int CodeName, int CodeQualname, int CodeLineTable, int CodeFirstLineNo,
    int CodeAdaptive, int CodeTlbc,
    int ObjectSize, int ObjectType,
    int BytesSize, int BytesObSize, int BytesData,
    int UnicodeSize, int UnicodeState, int UnicodeLength, int UnicodeAsciiSize, int UnicodeCompactSize)
{
    public static DebugOffsetsPositions V313 { get; } = new(
        584,
        24, 40,
        48, 64, 72, 112, 120, 136, 144, -1,
        152, 168, 176, 184, 192, 200, 208, 216, -1,
        224, 232, 240, 248, 264, -1,
        272, 280, 288, 296, 304, 312, 344, -1,
        352, 360,
        512, 520, 528,
        536, 544, 552, 560, -1);

    public static DebugOffsetsPositions V314 { get; } = new(
        760,
        24, 40,
        48, 64, 72, 120, 128, 144, 152, 160,
        176, 192, 200, 208, 216, 224, 232, 240, -1,
        248, 256, 264, 272, 288, 304,
        312, 320, 328, 336, 344, 352, 384, 392,
        400, 408,
        592, 600, 608,
        616, 624, 632, 640, -1);

    public static DebugOffsetsPositions V315 { get; } = new(
        888,
        24, 40,
        48, 64, 72, 120, 128, 144, 152, 160,
        176, 192, 200, 208, 240, 248, 256, 264, 272,
        312, 320, 328, 336, 352, 368,
        376, 384, 392, 400, 408, 416, 448, 456,
        464, 472,
        688, 696, 704,
        712, 720, 728, 736, 744);

    /// <summary>The positions for a minor version, or null when this build does not know it.</summary>
    public static DebugOffsetsPositions? ForMinor(int minor) => minor switch
    {
        13 => V313,
        14 => V314,
        15 => V315,
        _ => null,
    };
}
