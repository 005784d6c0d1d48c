using System.Globalization;
using Pyrometer.Sampling.Memory;

namespace Pyrometer.Sampling.Target;

/// <summary>
/// The ways interpreter discovery fails, worded once: each message names the process and, where
/// there is one, the way out.
/// </summary>
internal sealed class DiscoveryFailures(ProcFs procFs)
{
    private const int MaxListedMappings = 12;

    public DiscoveryResult AccessDenied(int processId) =>
        DiscoveryResult.Failed(TargetErrorKind.PermissionDenied, AccessDiagnostics.Describe(procFs, processId));

    /// <summary>A read of the target's memory that did not succeed, by why it did not.</summary>
    public DiscoveryResult ReadFailed(int processId, ReadStatus status, string what) => status switch
    {
        ReadStatus.PermissionDenied => AccessDenied(processId),
        ReadStatus.ProcessGone => Exited(processId),
        _ => DiscoveryResult.Failed(TargetErrorKind.UnsupportedPython, Invariant($"Process {processId}: could not read {what}; unsupported or corrupted Python build.")),
    };

    public static DiscoveryResult NoRuntime(int processId, ProcessStat? stat, ProcessMaps maps, InterpreterCandidate candidate)
    {
        if (candidate.Name is { } name && (name.IsLibrary || name.Minor is not null))
        {
            // A CPython binary without _PyRuntime: Python 2 or 3.0–3.6 (the structure arrived in 3.7).
            return DiscoveryResult.Failed(TargetErrorKind.UnsupportedPython, Invariant($"Process {processId} runs {name} ({candidate.Path}), which has no _PyRuntime symbol or .PyRuntime section; CPython before 3.7 is not supported."));
        }
        return NotPython(processId, stat, maps, Invariant($"{candidate.Path} defines neither _PyRuntime nor a .PyRuntime section"));
    }

    public static DiscoveryResult NotPython(int processId, ProcessStat? stat, ProcessMaps maps, string why)
    {
        var files = maps.FilePaths();
        var listed = string.Join(", ", files.Take(MaxListedMappings));
        var more = files.Count > MaxListedMappings ? Invariant($" and {files.Count - MaxListedMappings} more") : "";
        var command = stat is null ? "" : Invariant($" ({stat.Command})");
        return DiscoveryResult.Failed(TargetErrorKind.NotPython, Invariant($"Process {processId}{command} does not look like CPython: {why}. Mapped files looked at: {(files.Count == 0 ? "none" : listed + more)}."));
    }

    public static DiscoveryResult DebugBuild(int processId, string path) =>
        DiscoveryResult.Failed(TargetErrorKind.UnsupportedPython, Invariant($"Process {processId} runs a debug build of CPython ({path}); its object headers differ and it is not supported. Profile a release build."));

    public static DiscoveryResult NoSuchProcess(int processId) =>
        DiscoveryResult.Failed(TargetErrorKind.ProcessNotFound, Invariant($"No process {processId} in this PID namespace. If it runs in another container, the profiler must share its PID namespace (shareProcessNamespace, or an ephemeral container targeting it)."));

    public static DiscoveryResult Exited(int processId) =>
        DiscoveryResult.Failed(TargetErrorKind.ProcessNotFound, Invariant($"Process {processId} exited while it was being inspected."));

    public static DiscoveryResult Unsupported(FormattableString message) =>
        DiscoveryResult.Failed(TargetErrorKind.UnsupportedPython, Invariant(message));

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
