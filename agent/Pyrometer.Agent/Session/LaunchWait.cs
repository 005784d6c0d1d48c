using System.Diagnostics;
using System.Globalization;
using Pyrometer.Sampling.Sampling;
using Pyrometer.Sampling.Target;

namespace Pyrometer.Agent.Session;

/// <summary>
/// <c>record -- CMD</c>: the command was started a moment ago, so its interpreter is not there yet
/// (the child may not even have exec'd; libpython may not be mapped; _PyRuntime may have no
/// interpreter). Probes it until the probe succeeds, the command exits, or <see cref="Bound"/> passes.
/// </summary>
internal static class LaunchWait
{
    /// <summary>How long a launched command has to show a running CPython interpreter.</summary>
    public static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    private static readonly TimeSpan FirstDelay = TimeSpan.FromMilliseconds(5);
    private static readonly TimeSpan MaxDelay = TimeSpan.FromMilliseconds(100);

    /// <summary>An attached sampler, or null with the reason (the command is left running).</summary>
    public static async Task<(IProcessSampler? Sampler, TargetError? Error)> ForInterpreterAsync(
        LaunchedProcess child, IProcessProbe probe, string command, TimeSpan bound, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var delay = FirstDelay;
        TargetError? last = null;
        while (true)
        {
            if (child.TryReap())
            {
                var status = child.ExitStatus is >= 0 and var s ? string.Create(CultureInfo.InvariantCulture, $" with status {s}") : "";
                return (null, new TargetError(Kind(last),
                    string.Create(CultureInfo.InvariantCulture, $"'{command}' (pid {child.ProcessId}) exited{status} after {clock.Elapsed.TotalSeconds:0.0} s, before a CPython interpreter was running in it")));
            }
            var sampler = probe.TryAttach(child.ProcessId, out var error);
            if (sampler is not null)
            {
                return (sampler, null);
            }
            last = error;
            if (error?.Kind == TargetErrorKind.PermissionDenied)
            {
                return (null, error);
            }
            if (clock.Elapsed >= bound)
            {
                return (null, new TargetError(Kind(last), string.Create(CultureInfo.InvariantCulture,
                    $"'{command}' (pid {child.ProcessId}) is not a running CPython {bound.TotalSeconds:0} s after its start: {FirstSentence(last?.Message)}")));
            }
            await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxDelay.Ticks));
        }
    }

    // The locator's reason without its list of mapped files.
    private static string FirstSentence(string? message)
    {
        var text = message ?? "no interpreter found";
        var end = text.IndexOf(". ", StringComparison.Ordinal);
        return end < 0 ? text.TrimEnd('.') : text[..end];
    }

    // A build we cannot read stays UnsupportedPython; everything else at this stage means "not Python (yet)".
    private static TargetErrorKind Kind(TargetError? last) =>
        last?.Kind == TargetErrorKind.UnsupportedPython ? TargetErrorKind.UnsupportedPython : TargetErrorKind.NotPython;
}
