namespace Pyrometer.Sampling.Memory;

/// <summary>Why a read of another process's memory stopped.</summary>
internal enum ReadStatus
{
    /// <summary>Every requested byte arrived.</summary>
    Ok,

    /// <summary>Part or all of the range is unmapped (EFAULT or a short read): a stale pointer, usually.</summary>
    Fault,

    /// <summary>The process no longer exists (ESRCH).</summary>
    ProcessGone,

    /// <summary>The kernel refused access (EPERM/EACCES): no CAP_SYS_PTRACE, other uid, or Yama.</summary>
    PermissionDenied,
}
