namespace Pyrometer.Sampling.Python.Async;

/// <summary>How a suspended coroutine's frame shows what it awaits (the top of its value stack), per version family.</summary>
internal enum TaskStackStyle
{
    /// <summary>3.8/3.9: <c>gi_frame</c> points at a frame object whose <c>f_stacktop</c> is one past the awaited object (null while running).</summary>
    StackTopPointer,

    /// <summary>3.10: <c>gi_frame</c> points at a frame object with <c>f_valuestack</c>, <c>f_stackdepth</c> and <c>f_state</c>.</summary>
    StackDepth,

    /// <summary>3.11–3.13: the frame is embedded in the coroutine; <c>stacktop</c> indexes <c>localsplus</c>; <c>gi_frame_state</c> sits just before it.</summary>
    EmbeddedFrame,
}
