using Pyrometer.Agent.Contracts;
using Pyrometer.Sampling.Sampling;
using Pyrometer.Sampling.Target;

namespace Pyrometer.Agent.Session;

/// <summary>Maps attach failures to result error codes and exit codes (agent contract).</summary>
internal static class OutcomeClassifier
{
    public static string Code(TargetErrorKind kind) => kind switch
    {
        TargetErrorKind.ProcessNotFound => ErrorCodes.ProcessNotFound,
        TargetErrorKind.PermissionDenied => ErrorCodes.PermissionDenied,
        TargetErrorKind.NotPython => ErrorCodes.NotPython,
        TargetErrorKind.UnsupportedPython => ErrorCodes.UnsupportedPython,
        _ => ErrorCodes.AgentFailed,
    };

    public static AgentExitCode ExitCode(string code) => code switch
    {
        ErrorCodes.ProcessNotFound => AgentExitCode.ProcessNotFound,
        ErrorCodes.PermissionDenied => AgentExitCode.PermissionDenied,
        ErrorCodes.NotPython or ErrorCodes.UnsupportedPython => AgentExitCode.NotPython,
        ErrorCodes.UploadFailed => AgentExitCode.UploadFailed,
        _ => AgentExitCode.Internal,
    };
}
