namespace Pyrometer.Sampling.Sampling;

/// <summary>How one attempt to sample one process ended.</summary>
internal enum SampleStatus
{
    /// <summary>Stacks were read (possibly with some threads dropped and counted).</summary>
    Ok,

    /// <summary>The whole sample was inconsistent (torn read) and dropped.</summary>
    Dropped,

    /// <summary>The process has exited.</summary>
    Gone,

    /// <summary>Access was refused.</summary>
    Denied,
}
