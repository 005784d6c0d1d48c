using Pyrometer.Kubectl.Api;
using Pyrometer.Kubectl.Cli;

namespace Pyrometer.Kubectl.Record;

/// <summary>The exit code a finished request earns (pure): a regression is a finding with its own code, not a failure.</summary>
internal static class RecordOutcome
{
    public const string RegressedCondition = "Regressed";

    public static int ExitCode(ProfileRequestView? request) => request?.Status?.Phase switch
    {
        "Succeeded" when Regressed(request)?.Status == "True" => ExitCodes.Regressed,
        "Succeeded" => ExitCodes.Ok,
        _ => ExitCodes.Failed,
    };

    public static ConditionView? Regressed(ProfileRequestView request) =>
        request.Status?.Conditions?.FirstOrDefault(c => c.Type == RegressedCondition);
}
