using System.Buffers.Binary;
using Pyrometer.Sampling.Python;

namespace Pyrometer.Sampling.Tests.Fakes;

/// <summary>
/// Synthetic <c>_Py_DebugOffsets</c> blocks with the values real builds fill in: 3.13.0 (pyenv,
/// VERIFIED live in the fact sheet), 3.14.10 and 3.15.2 (Debian sid headers compiled with
/// hack/layouts/debug_offsets.c).
/// </summary>
internal static class DebugTables
{
    // In DebugOffsetsPositions parameter order (after TableSize); -1 = no such entry.
    private static readonly long[] Values313 =
    [
        283320, 632,
        194968, 7264, 7344, 16, 7752, 7768, 7760, -1,
        304, 8, 16, 72, 152, 160, 232, 32, -1,
        80, 8, 0, 56, 70, -1,
        208, 112, 120, 128, 136, 68, 200, -1,
        16, 8,
        40, 16, 32,
        64, 32, 16, 40, -1,
    ];

    private static readonly long[] Values314 =
    [
        316616, 808,
        225864, 7272, 7344, 16, 7784, 7800, 7792, 7992,
        832, 8, 16, 72, 152, 160, 232, 32, -1,
        88, 8, 0, 56, 74, 0,
        216, 112, 120, 128, 136, 68, 208, 0,
        16, 8,
        40, 16, 32,
        64, 32, 16, 40, -1,
    ];

    private static readonly long[] Values315 =
    [
        346560, 936,
        226232, 7264, 7336, 16, 7736, 7752, 7744, 7944,
        888, 8, 16, 72, 176, 184, 256, 32, 36,
        88, 8, 0, 56, 74, 0,
        216, 112, 120, 128, 136, 68, 208, 0,
        16, 8,
        40, 16, 32,
        64, 32, 16, 40, 56,
    ];

    public static byte[] Table(PythonVersion version, Action<DebugOffsetsPositions, byte[]>? tamper = null)
    {
        var positions = DebugOffsetsPositions.ForMinor(version.Minor) ?? DebugOffsetsPositions.V315;
        var values = version.Minor switch
        {
            13 => Values313,
            14 => Values314,
            _ => Values315,
        };
        var table = new byte[DebugOffsetsReader.ReadLength];
        "xdebugpy"u8.CopyTo(table);
        BinaryPrimitives.WriteUInt64LittleEndian(table.AsSpan(8), version.Hex);
        BinaryPrimitives.WriteUInt64LittleEndian(table.AsSpan(16), version.FreeThreaded ? 1UL : 0UL);
        var slots = PositionsOf(positions);
        for (var i = 0; i < slots.Length; i++)
        {
            if (slots[i] >= 0 && values[i] >= 0)
            {
                var value = values[i];
                if (version.FreeThreaded)
                {
                    value = FreeThreaded(i, value);
                }
                BinaryPrimitives.WriteInt64LittleEndian(table.AsSpan(slots[i]), value);
            }
        }
        tamper?.Invoke(positions, table);
        return table;
    }

    /// <summary>The record's positions in parameter order (TableSize excluded).</summary>
    public static int[] PositionsOf(DebugOffsetsPositions p) =>
    [
        p.RuntimeSize, p.InterpretersHead,
        p.InterpreterSize, p.InterpreterNext, p.ThreadsHead, p.CevalGil, p.GilRuntimeState, p.GilLocked, p.GilHolder, p.CodeObjectGeneration,
        p.ThreadSize, p.ThreadNext, p.ThreadInterp, p.CurrentFrame, p.ThreadId, p.NativeThreadId, p.DataStackChunk, p.Status, p.HoldsGil,
        p.FrameSize, p.FramePrevious, p.FrameExecutable, p.FrameInstrPtr, p.FrameOwner, p.FrameTlbcIndex,
        p.CodeSize, p.CodeFilename, p.CodeName, p.CodeQualname, p.CodeLineTable, p.CodeFirstLineNo, p.CodeAdaptive, p.CodeTlbc,
        p.ObjectSize, p.ObjectType,
        p.BytesSize, p.BytesObSize, p.BytesData,
        p.UnicodeSize, p.UnicodeState, p.UnicodeLength, p.UnicodeAsciiSize, p.UnicodeCompactSize,
    ];

    // Free-threaded builds: every object field moves by the 16 extra header bytes; the frame gets a
    // tlbc_index and the code a co_tlbc (placed past the GIL build's fields for the synthetic image).
    private static long FreeThreaded(int slot, long value) => slot switch
    {
        >= 26 and <= 31 => value + 16,               // code filename … co_code_adaptive
        25 => value + 24,                            // code size
        24 => 80,                                    // frame tlbc_index (int32 after owner)
        32 => 200,                                   // co_tlbc (a slot the fake leaves free)
        33 => 32,                                    // object header size
        34 => 24,                                    // ob_type
        >= 35 and <= 42 => value + 16,               // bytes and unicode fields and sizes
        _ => value,
    };
}
