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
}
