namespace Pyrometer.Sampling.Python;

/// <summary>How a thread's frames are linked.</summary>
internal enum FrameStyle
{
    /// <summary>3.8–3.10: heap <c>PyFrameObject</c>s linked by <c>f_back</c>; <c>tstate->frame</c> is the newest.</summary>
    FrameObject,

    /// <summary>3.11+: <c>_PyInterpreterFrame</c>s in the thread's data stack, linked by <c>previous</c>.</summary>
    InterpreterFrame,
}
