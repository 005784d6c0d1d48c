namespace Pyrometer.Sampling.Sampling;

/// <summary>Why a process could not be profiled; each maps to an exit code and a status reason.</summary>
internal enum TargetErrorKind
{
    ProcessNotFound,
    PermissionDenied,
    NotPython,
    UnsupportedPython,
}
