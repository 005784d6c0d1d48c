using System.Globalization;
using k8s.Models;
using Pyrometer.Agent.Contracts;
using Pyrometer.Operator.Api.V1Alpha1;

namespace Pyrometer.Operator.Controllers;

/// <summary>Reads a finished agent container: its termination message (the <see cref="AgentResult"/>) or, failing that, its exit code (pure).</summary>
internal static class AgentOutcome
{
    private static readonly HashSet<string> ImagePullReasons = new(StringComparer.Ordinal)
    {
        "ErrImagePull", "ImagePullBackOff", "InvalidImageName", "ErrImageNeverPull",
    };

    /// <summary>The waiting reason means the image will not come (the kubelet keeps retrying, but a profile has a deadline).</summary>
    public static bool IsImagePullFailure(V1ContainerStateWaiting? waiting) => waiting?.Reason is { } reason && ImagePullReasons.Contains(reason);

    /// <summary>
    /// Applies a terminated agent's outcome to <paramref name="target"/>: <paramref name="result"/> is what its termination
    /// message held (see <see cref="AgentResults"/>), null when it held nothing readable.
    /// </summary>
    public static void Apply(TargetStatus target, V1ContainerStateTerminated terminated, AgentResult? result, IReadOnlyList<ArtifactObservation> artifacts)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(terminated);
        ArgumentNullException.ThrowIfNull(artifacts);
        target.FinishedAt = terminated.FinishedAt;
        var message = terminated.Message ?? "";
        if (result is null)
        {
            var reason = terminated.ExitCode switch
            {
                (int)AgentExitCode.ProcessNotFound => Conditions.ProcessNotFound,
                (int)AgentExitCode.PermissionDenied => Conditions.PermissionDenied,
                (int)AgentExitCode.NotPython => Conditions.NotPython,
                (int)AgentExitCode.UploadFailed => Conditions.UploadFailed,
                _ => Conditions.AgentFailed,
            };
            var detail = message.Length == 0 ? "no result in its termination message" : "an unreadable result: " + Shorten(message, 200);
            var how = terminated.Reason is { Length: > 0 } why && why != "Completed" && why != "Error" ? " (" + why + ")" : "";
            Fail(target, reason, string.Create(CultureInfo.InvariantCulture, $"The agent exited with code {terminated.ExitCode}{how} and {detail}"));
            return;
        }

        target.Samples = result.Samples;
        target.Processes = result.Processes.Count;
        target.PythonVersion = result.Processes.Select(p => p.Python).FirstOrDefault(p => !string.IsNullOrEmpty(p));
        target.MissedSamples = result.MissedSamples;
        target.TopFunctions = [.. result.Top.Take(ProfileSummary.MaxTopFunctions).Select(t => new TopFunction
        {
            Function = t.Function,
            Location = string.IsNullOrEmpty(t.File) ? null : string.Create(CultureInfo.InvariantCulture, $"{t.File}:{t.Line}"),
            SelfPercent = t.SelfPercent,
        })];
        target.EventLoopBlocked = EventLoopBlocked.From(result.EventLoopBlocked);
        if (result.Status == ResultStatus.Error || result.Error is not null && result.Status != ResultStatus.Partial)
        {
            var code = result.Error?.Code ?? ErrorCodes.AgentFailed;
            Fail(target, ReasonOf(code), result.Error?.Message ?? "The agent reported an error without a message.");
            return;
        }
        var uploadProblems = new List<string>();
        foreach (var artifact in result.Artifacts)
        {
            var seen = artifacts.FirstOrDefault(a => a.Format == artifact.Format);
            if (!artifact.Uploaded)
            {
                uploadProblems.Add($"{artifact.Format}: {artifact.UploadError ?? "not uploaded"}");
            }
            else if (seen is null || !seen.Check.Matches)
            {
                uploadProblems.Add($"{artifact.Format}: {seen?.Check.Problem ?? "the stored object does not match what the agent uploaded"}");
            }
        }
        if (result.Artifacts.Count == 0)
        {
            uploadProblems.Add("the agent reported no artifacts");
        }
        if (uploadProblems.Count > 0)
        {
            Fail(target, Conditions.UploadFailed, "Uploads failed: " + string.Join("; ", uploadProblems));
            return;
        }
        target.Phase = ProfilePhases.Succeeded;
        target.Reason = null;
        target.Message = result.Status == ResultStatus.Partial
            ? "The agent stopped early and published what it collected" + (result.Error is { } note ? ": " + note.Message : ".")
            : null;
    }

    /// <summary>The request reason for an agent error code (they share names; anything unknown is AgentFailed).</summary>
    public static string ReasonOf(string code) => code switch
    {
        ErrorCodes.ProcessNotFound or ErrorCodes.TargetExited => Conditions.ProcessNotFound,
        ErrorCodes.NotPython => Conditions.NotPython,
        ErrorCodes.UnsupportedPython => Conditions.UnsupportedPython,
        ErrorCodes.PermissionDenied => Conditions.PermissionDenied,
        ErrorCodes.UploadFailed => Conditions.UploadFailed,
        _ => Conditions.AgentFailed,
    };

    public static void Fail(TargetStatus target, string reason, string message)
    {
        target.Phase = ProfilePhases.Failed;
        target.Reason = reason;
        target.Message = message;
    }

    private static string Shorten(string text, int max) => text.Length <= max ? text : text[..max] + "...";
}
