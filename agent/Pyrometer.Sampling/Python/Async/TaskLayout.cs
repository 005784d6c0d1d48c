namespace Pyrometer.Sampling.Python.Async;

/// <summary>
/// Private offsets of the C <c>_asyncio.Task</c> (<c>TaskObj</c> in <c>Modules/_asynciomodule.c</c>: the
/// future's fields, then the task's) and of coroutine frames, for the GIL builds of CPython 3.8–3.13 on
/// x86-64. Found in each interpreter's own memory by <c>hack/layouts/asyncio_offsets.py</c> (pyenv
/// 3.8.18, 3.9.18, 3.10.13, 3.11.7, 3.12.1, 3.13.0 and Debian 3.9.2, 3.11.2, 3.13.5 agree) and matching
/// the field order of each version's source. Offsets into frames are relative to the frame: the
/// frame object (≤3.10) or the frame embedded in the coroutine at <see cref="GenFrame"/> (3.11+).
/// </summary>
internal sealed record TaskLayout
{
    /// <summary><c>fut_state</c> (an int: 0 pending, 1 cancelled, 2 finished).</summary>
    public required int FutureState { get; init; }

    public required int FutureWaiter { get; init; }

    /// <summary><c>fut_loop</c>: the first field after the object header in every version.</summary>
    public int FutureLoop { get; init; } = 16;

    /// <summary><c>fut_callback0</c>, the first done-callback (then <c>fut_context0</c>), and <c>fut_callbacks</c>, a list of (callback, context) tuples for the others; the same in 3.8–3.15.</summary>
    public int FutureCallback0 { get; init; } = 24;

    public int FutureCallbacks { get; init; } = 40;

    public required int Coroutine { get; init; }

    public required int Name { get; init; }

    public required TaskStackStyle Stack { get; init; }

    /// <summary>≤3.10: where <c>gi_frame</c> (a pointer) sits in the coroutine; 3.11+: where the frame itself starts.</summary>
    public required int GenFrame { get; init; }

    /// <summary>3.8/3.9 <c>f_stacktop</c> (pointer); 3.10 <c>f_stackdepth</c> (int); 3.11+ <c>stacktop</c> (int, in slots from localsplus).</summary>
    public required int StackTop { get; init; }

    /// <summary>3.10 <c>f_valuestack</c> (pointer); 3.11+ <c>localsplus</c> (where the slots start); unused on 3.8/3.9.</summary>
    public int StackBase { get; init; } = PythonLayout.Absent;

    /// <summary>3.10: <c>f_state</c> in the frame object; 3.11+: <c>gi_frame_state</c> in the coroutine (one signed byte).</summary>
    public int FrameState { get; init; } = PythonLayout.Absent;

    /// <summary>Frame states that mean "suspended in an await" (3.13 tells a plain yield, -2, from yield-from/await, -1).</summary>
    public sbyte SuspendedState { get; init; } = -1;

    /// <summary>Bytes of a task read at once.</summary>
    public int TaskReadLength => Math.Max(Math.Max(FutureState + 4, FutureWaiter + 8), Math.Max(Coroutine + 8, Name + 8));

    /// <summary>The table for a 3.8–3.13 GIL build on x86-64, or null.</summary>
    public static TaskLayout? For(PythonLayout layout)
    {
        ArgumentNullException.ThrowIfNull(layout);
        var version = layout.Version;
        if (version.Major != 3 || version.FreeThreaded || layout.ObjectType != 8)
        {
            return null;
        }
        return version.Minor switch
        {
            8 => new TaskLayout
            {
                FutureState = 72, FutureWaiter = 104, Coroutine = 112, Name = 120,
                Stack = TaskStackStyle.StackTopPointer, GenFrame = 16, StackTop = 72,
            },
            9 => new TaskLayout
            {
                FutureState = 80, FutureWaiter = 144, Coroutine = 152, Name = 160,
                Stack = TaskStackStyle.StackTopPointer, GenFrame = 16, StackTop = 72,
            },
            10 => new TaskLayout
            {
                FutureState = 88, FutureWaiter = 152, Coroutine = 160, Name = 168,
                Stack = TaskStackStyle.StackDepth, GenFrame = 16, StackTop = 80, StackBase = 64, FrameState = 108,
            },
            // 3.11: gi_code … gi_frame_state (75), then the frame at 80; 3.12/3.13 lost gi_code (state 67, frame 72).
            11 => new TaskLayout
            {
                FutureState = 88, FutureWaiter = 128, Coroutine = 136, Name = 144,
                Stack = TaskStackStyle.EmbeddedFrame, GenFrame = 80, StackTop = 64, StackBase = 72, FrameState = 75,
            },
            12 => new TaskLayout
            {
                FutureState = 88, FutureWaiter = 128, Coroutine = 136, Name = 144,
                Stack = TaskStackStyle.EmbeddedFrame, GenFrame = 72, StackTop = 64, StackBase = 72, FrameState = 67,
            },
            13 => new TaskLayout
            {
                FutureState = 96, FutureWaiter = 112, Coroutine = 120, Name = 128,
                Stack = TaskStackStyle.EmbeddedFrame, GenFrame = 72, StackTop = 64, StackBase = 72, FrameState = 67,
            },
            _ => null,
        };
    }
}
