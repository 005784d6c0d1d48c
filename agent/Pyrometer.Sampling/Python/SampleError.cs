namespace Pyrometer.Sampling.Python;

/// <summary>Why a sample (or one thread of it) could not be taken. Classified once, here.</summary>
internal enum SampleError
{
    None,

    /// <summary>The target exited (ESRCH). Fatal.</summary>
    ProcessGone,

    /// <summary>The kernel refused access: missing CAP_SYS_PTRACE, other uid, or Yama. Fatal.</summary>
    PermissionDenied,

    /// <summary>No interpreter yet or any more (start-up or shutdown).</summary>
    NoInterpreter,

    /// <summary>A pointer led to unmapped memory: the target changed under us mid-walk.</summary>
    TornRead,

    /// <summary>Memory was readable but did not add up (wrong types, broken links, absurd values).</summary>
    InvalidData,
}
