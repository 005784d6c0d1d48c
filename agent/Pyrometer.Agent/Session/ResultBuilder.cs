using System.Globalization;
using Pyrometer.Agent.Cli;
using Pyrometer.Agent.Contracts;
using Pyrometer.Agent.Upload;
using Pyrometer.Rendering.Model;
using Pyrometer.Sampling.Sampling;

namespace Pyrometer.Agent.Session;

/// <summary>Builds the <see cref="AgentResult"/> of a run and the exit code that goes with it.</summary>
internal static class ResultBuilder
{
    /// <summary>Functions listed in the result (trimmed further to fit 4 KiB).</summary>
    public const int TopCount = 10;

    public static AgentResult Build(
        RecordSettings settings,
        DateTimeOffset startedAt,
        SamplerStats stats,
        Profile profile,
        IReadOnlyList<ProcessSeen> processes,
        IReadOnlyDictionary<int, long> samplesByProcess,
        IReadOnlyList<WrittenArtifact> artifacts,
        IReadOnlyDictionary<string, UploadOutcome> uploads,
        bool launchedTarget,
        int pythonChildren = 0)
    {
        var failedUploads = uploads.Where(u => !u.Value.Succeeded).ToList();
        var (status, error) = Classify(settings, stats, failedUploads, launchedTarget, pythonChildren);
        return new AgentResult
        {
            Status = status,
            Error = error,
            StartedAt = startedAt,
            DurationSeconds = Math.Round(stats.Elapsed.TotalSeconds, 3),
            Rate = settings.Rate,
            Samples = stats.Samples,
            MissedSamples = stats.MissedTicks,
            ErrorSamples = stats.ErrorSamples,
            Processes = MostSampledFirst(processes
                .Select(p => new ResultProcess(p.ProcessId, Truncate(p.CommandLine, 120), p.PythonVersion, samplesByProcess.GetValueOrDefault(p.ProcessId)))
                .ToArray()),
            Top = ProfileSummary.TopFunctions(profile, TopCount)
                .Select(f => new ResultFunction(f.Function, f.File, f.Line, Math.Round(f.SelfPercent, 1)))
                .ToArray(),
            Artifacts = artifacts
                .Select(a => new ResultArtifact(a.Format, a.Bytes, a.Sha256, uploads.TryGetValue(a.Format, out var u) && u.Succeeded)
                {
                    UploadError = uploads.TryGetValue(a.Format, out var failed) ? failed.Error : null,
                })
                .ToArray(),
        };
    }

    // Most samples first, then by pid. A comparison rather than OrderBy(…).ThenBy(…): in the
    // NativeAOT binary ThenBy's generic virtual call is resolved at run time, ~0.2 ms of CPU per run.
    private static ResultProcess[] MostSampledFirst(ResultProcess[] processes)
    {
        Array.Sort(processes, static (a, b) => a.Samples != b.Samples ? b.Samples.CompareTo(a.Samples) : a.Pid.CompareTo(b.Pid));
        return processes;
    }

    public static AgentResult Failed(RecordSettings settings, DateTimeOffset startedAt, string code, string message) => new()
    {
        Status = ResultStatus.Error,
        Error = new AgentError(code, message),
        StartedAt = startedAt,
        Rate = settings.Rate,
    };

    /// <summary>0 for ok and partial, except failed uploads (6); the error's own code otherwise.</summary>
    public static int ExitCode(AgentResult result)
    {
        if (result.Status == ResultStatus.Ok)
        {
            return (int)AgentExitCode.Ok;
        }
        var code = result.Error?.Code ?? ErrorCodes.AgentFailed;
        if (result.Status == ResultStatus.Partial)
        {
            return code == ErrorCodes.UploadFailed ? (int)AgentExitCode.UploadFailed : (int)AgentExitCode.Ok;
        }
        return (int)OutcomeClassifier.ExitCode(code);
    }

    private static (string Status, AgentError? Error) Classify(
        RecordSettings settings, SamplerStats stats, List<KeyValuePair<string, UploadOutcome>> failedUploads, bool launchedTarget, int pythonChildren)
    {
        if (stats.Samples == 0)
        {
            return stats.StoppedBecause == StopReason.TargetExited && stats.Ticks <= 1
                ? (ResultStatus.Error, new AgentError(ErrorCodes.ProcessNotFound, "the target exited before the first sample"))
                : (ResultStatus.Error, new AgentError(ErrorCodes.AgentFailed, NoSamplesMessage(settings, stats, pythonChildren)));
        }
        if (failedUploads.Count > 0)
        {
            var formats = string.Join(", ", failedUploads.Select(f => f.Key));
            return (ResultStatus.Partial, new AgentError(ErrorCodes.UploadFailed, $"upload failed for {formats}: {failedUploads[0].Value.Error}"));
        }
        return stats.StoppedBecause switch
        {
            StopReason.TargetExited when !launchedTarget =>
                (ResultStatus.Partial, new AgentError(ErrorCodes.TargetExited, string.Create(CultureInfo.InvariantCulture, $"the target exited after {stats.Elapsed.TotalSeconds:0.0} s; what was sampled is kept"))),
            StopReason.Cancelled when settings.Duration is not null =>
                (ResultStatus.Partial, new AgentError(ErrorCodes.Stopped, string.Create(CultureInfo.InvariantCulture, $"stopped by a signal after {stats.Elapsed.TotalSeconds:0.0} s; what was sampled is kept"))),
            _ => (ResultStatus.Ok, null),
        };
    }

    private static string NoSamplesMessage(RecordSettings settings, SamplerStats stats, int pythonChildren) => stats.Ticks > 0
        ? "no samples: " + ChildrenHint.NoSamples(settings.Mode, pythonChildren)
        : "no samples were recorded";

    private static string Truncate(string text, int length) => text.Length <= length ? text : text[..(length - 1)] + "…";
}
