namespace Pyrometer.Sampling.Sampling;

/// <summary>Which threads a tick records.</summary>
internal enum SamplingMode
{
    /// <summary>Running threads only (the OS says runnable and the top frame is not a known wait), as py-spy's default.</summary>
    Cpu,

    /// <summary>Every thread, idle ones too: wall-clock time.</summary>
    Wall,

    /// <summary>Only the thread holding the GIL.</summary>
    Gil,

    /// <summary>Every thread as in wall mode, plus one stack per suspended asyncio task: what it awaits, under the tasks that await it.</summary>
    Async,
}
