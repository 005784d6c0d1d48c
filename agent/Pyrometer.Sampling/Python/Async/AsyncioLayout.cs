using System.Buffers.Binary;

namespace Pyrometer.Sampling.Python.Async;

/// <summary>
/// Everything the 3.14+ task reader needs to know about the target, as data: the <c>AsyncioDebug</c>
/// table, the generator and frame fields from the runtime's own <c>_Py_DebugOffsets</c>
/// (<c>gen_object.gi_iframe</c>/<c>gi_frame_state</c>, <c>interpreter_frame.stackpointer</c>), and the
/// per-minor frame states (renumbered in 3.15).
/// </summary>
internal sealed record AsyncioLayout
{
    public required AsyncioDebugOffsets Offsets { get; init; }

    public required PythonLayout Python { get; init; }

    /// <summary><c>PyCoro_Type</c>: only objects of exactly this type are followed down an await chain.</summary>
    public required ulong CoroutineType { get; init; }

    public required int GenFrame { get; init; }

    public required int GenFrameState { get; init; }

    public required int FrameStackPointer { get; init; }

    /// <summary>3.14: FRAME_SUSPENDED_YIELD_FROM = -1; 3.15: 2 (and 3, its locked form on free-threaded builds).</summary>
    public required int YieldFromState { get; init; }

    public required int YieldFromLockedState { get; init; }

    /// <summary>
    /// Which value-stack slot below the stack pointer holds the awaited object of a frame suspended in
    /// an await: 3.14 the top (1); 3.15 keeps the yielded value above it while suspended (2).
    /// </summary>
    public required int YieldFromSlot { get; init; }

    /// <summary>3.14: FRAME_EXECUTING = 0; 3.15: 4.</summary>
    public required int ExecutingState { get; init; }

    /// <summary>States at or above this one have no frame to show (3.14: FRAME_COMPLETED = 1; 3.15: FRAME_CLEARED = 5).</summary>
    public required int FinishedState { get; init; }

    /// <summary>Bytes of a coroutine read at once: the header up to its frame's stack pointer.</summary>
    public int CoroutineReadLength => Math.Max(GenFrameState + 1, GenFrame + Math.Max(FrameStackPointer + 8, Python.FrameReadLength));

    // Where gen_object and interpreter_frame.stackpointer sit in each minor's _Py_DebugOffsets.
    private static (int GenFrame, int GenFrameState, int StackPointer)? Positions(int minor) => minor switch
    {
        14 => (680, 688, 296),
        15 => (808, 816, 360),
        _ => null,
    };

    /// <summary>
    /// Builds the layout from the runtime's debug table (as <see cref="DebugOffsetsReader"/> read it)
    /// and the <c>AsyncioDebug</c> table; null with a message when a value does not add up.
    /// </summary>
    public static AsyncioLayout? Build(PythonLayout python, ReadOnlySpan<byte> runtimeTable, AsyncioDebugOffsets offsets, ulong coroutineType, out string error)
    {
        error = "";
        var minor = python.Version.Minor;
        if (Positions(minor) is not { } p || runtimeTable.Length < p.GenFrameState + 8)
        {
            error = $"async mode does not know where CPython {python.Version} keeps coroutine frames";
            return null;
        }
        var genFrame = Field(runtimeTable, p.GenFrame);
        var genState = Field(runtimeTable, p.GenFrameState);
        var stackPointer = Field(runtimeTable, p.StackPointer);
        if (genFrame is < 16 or > 512 || genState is < 16 or > 512 || stackPointer < 8 || stackPointer + 8 > python.FrameSize
            || coroutineType == 0)
        {
            error = $"the coroutine fields of CPython {python.Version} fail a self-check (frame at {genFrame}, state at {genState}, stack pointer at {stackPointer})";
            return null;
        }
        var fifteen = minor >= 15;
        return new AsyncioLayout
        {
            Offsets = offsets,
            Python = python,
            CoroutineType = coroutineType,
            GenFrame = genFrame,
            GenFrameState = genState,
            FrameStackPointer = stackPointer,
            YieldFromState = fifteen ? 2 : -1,
            YieldFromLockedState = fifteen ? 3 : -1,
            YieldFromSlot = fifteen ? 2 : 1,
            ExecutingState = fifteen ? 4 : 0,
            FinishedState = fifteen ? 5 : 1,
        };
    }

    private static int Field(ReadOnlySpan<byte> table, int position)
    {
        var value = BinaryPrimitives.ReadUInt64LittleEndian(table.Slice(position, 8));
        return value <= int.MaxValue ? (int)value : -1;
    }
}
