using System.Globalization;
using Pyrometer.Agent.Contracts;
using Pyrometer.Sampling.Sampling;

namespace Pyrometer.Agent.Session;

/// <summary>The human summary printed at the end of a recording.</summary>
internal static class Summary
{
    public static void Print(TextWriter output, AgentResult result, IReadOnlyList<WrittenArtifact> artifacts, SamplerStats stats, Func<string, bool>? isTemporary = null)
    {
        var inv = CultureInfo.InvariantCulture;
        output.WriteLine(Counts(result, stats));
        if (result.Error is { } error)
        {
            output.WriteLine($"pyrometer: {result.Status}: {error.Message}");
        }
        if (result.Top.Count > 0)
        {
            output.WriteLine("  self%  function (file:line)");
            foreach (var function in result.Top.Take(5))
            {
                output.WriteLine(string.Create(inv, $"  {function.SelfPercent,5:0.0}  {function.Function} ({function.File}:{function.Line})"));
            }
        }
        if (result.EventLoopBlocked is { } blocked)
        {
            output.WriteLine("pyrometer: " + blocked.Describe());
        }
        // Every file is named, wherever it is; an upload's temporary copy says that it is gone.
        foreach (var artifact in artifacts)
        {
            var note = isTemporary?.Invoke(artifact.Path) == true ? "; a temporary copy for the upload, now removed" : "";
            output.WriteLine(string.Create(inv, $"pyrometer: wrote {artifact.Path} ({artifact.Format}, {artifact.Bytes:N0} bytes{note})"));
        }
    }

    /// <summary>
    /// The run's numbers, each saying what it counts. hack/bench/tools.py reads this line: keep them in step.
    /// </summary>
    internal static string Counts(AgentResult result, SamplerStats stats)
    {
        var processes = result.Processes.Count == 1 ? "1 process" : string.Create(CultureInfo.InvariantCulture, $"{result.Processes.Count} processes");
        return string.Create(CultureInfo.InvariantCulture,
            $"pyrometer: {result.Samples:N0} samples (thread stacks) from {processes} in {result.DurationSeconds:0.0} s at {result.Rate} Hz ({stats.AchievedRate:0.0} ticks/s achieved); "
            + $"{result.ErrorSamples:N0} dropped: the stack changed while being read; {result.MissedSamples:N0} ticks missed: the sampler fell behind; "
            + $"{stats.CallsPerProcessSample:0.0} memory reads per process sample");
    }
}
