namespace Pyrometer.Sampling.Target;

/// <summary>Why a process could not be profiled, found while locating its interpreter or later while
/// sampling; each maps to an exit code, a result code and a ProfileRequest reason.</summary>
internal enum TargetErrorKind
{
    /// <summary>No such process in our PID namespace, or it exited while we looked.</summary>
    ProcessNotFound,

    /// <summary>The kernel refused to let us inspect or read the process.</summary>
    PermissionDenied,

    /// <summary>No CPython interpreter found in the process.</summary>
    NotPython,

    /// <summary>CPython, but a build or version this profiler cannot read (debug build, no <c>_PyRuntime</c>, inconsistent version).</summary>
    UnsupportedPython,
}
