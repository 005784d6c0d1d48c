namespace Pyrometer.Agent.Contracts;

/// <summary>Error codes; the operator defines the ProfileRequest status reasons of the same name from these.</summary>
public static class ErrorCodes
{
    /// <summary>No such process, no match, or it exited before the first sample.</summary>
    public const string ProcessNotFound = "ProcessNotFound";

    /// <summary>The process is not a CPython interpreter.</summary>
    public const string NotPython = "NotPython";

    /// <summary>CPython, but a version or build this agent cannot read.</summary>
    public const string UnsupportedPython = "UnsupportedPython";

    /// <summary>The kernel refused to let us read the process (CAP_SYS_PTRACE, uid, Yama).</summary>
    public const string PermissionDenied = "PermissionDenied";

    /// <summary>An artifact could not be uploaded.</summary>
    public const string UploadFailed = "UploadFailed";

    /// <summary>Anything else: a bug or an environment problem in the agent.</summary>
    public const string AgentFailed = "AgentFailed";

    /// <summary>Explains a <c>partial</c> result: the target exited before the duration ended.</summary>
    public const string TargetExited = "TargetExited";

    /// <summary>Explains a <c>partial</c> result: a signal stopped sampling before the duration ended.</summary>
    public const string Stopped = "Stopped";
}
