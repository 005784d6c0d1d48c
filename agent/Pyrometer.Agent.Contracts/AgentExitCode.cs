namespace Pyrometer.Agent.Contracts;

/// <summary>The agent's process exit codes (agent contract, "Exit codes").</summary>
public enum AgentExitCode
{
    /// <summary>ok or partial.</summary>
    Ok = 0,

    /// <summary>Internal error.</summary>
    Internal = 1,

    /// <summary>Bad command line.</summary>
    Usage = 2,

    /// <summary>Target process not found, or gone before the first sample.</summary>
    ProcessNotFound = 3,

    /// <summary>Permission denied (CAP_SYS_PTRACE, ptrace_scope).</summary>
    PermissionDenied = 4,

    /// <summary>Not a Python process, or an unsupported version.</summary>
    NotPython = 5,

    /// <summary>Upload failed.</summary>
    UploadFailed = 6,
}
