using System.Globalization;
using System.Text.RegularExpressions;
using Pyrometer.Agent.Cli;
using Pyrometer.Agent.Contracts;
using Pyrometer.Sampling.Target;

namespace Pyrometer.Agent.Session;

/// <summary>
/// Turns <c>--pid N|auto</c>, <c>--match</c> or <c>-- command</c> into the root PID to profile, for
/// <c>record</c>, <c>top</c> and <c>dump</c> alike. Among several candidates the busiest is chosen, and
/// <paramref name="notice"/> is told which and why.
/// </summary>
internal sealed class TargetResolver(ProcFs procFs, Action<string>? notice = null)
{
    /// <summary>How long candidates' CPU use is watched before the busiest is picked.</summary>
    internal static readonly TimeSpan Window = TimeSpan.FromMilliseconds(250);

    /// <summary>The one message for a PID that names no process, whichever command was given it.</summary>
    public static string NoSuchProcess(int pid) =>
        string.Create(CultureInfo.InvariantCulture, $"no process with PID {pid} in this PID namespace");

    /// <summary>The root PID, or null with an error code (<see cref="ErrorCodes"/>) and a message when nothing fits.</summary>
    /// <param name="subprocesses">With -s, whole process trees compete and the busiest tree's root is chosen.</param>
    /// <param name="withheldVariables">Environment variables a launched command does not inherit (the upload URLs).</param>
    public int? Resolve(TargetSelector selector, out LaunchedProcess? launched, out string errorCode, out string error, bool subprocesses = false,
        IReadOnlyCollection<string>? withheldVariables = null)
    {
        launched = null;
        errorCode = ErrorCodes.ProcessNotFound;
        error = "";
        if (selector.Pid is { } pid)
        {
            if (!procFs.Exists(pid))
            {
                error = NoSuchProcess(pid);
                return null;
            }
            return pid;
        }
        if (selector.Command.Count > 0)
        {
            return Launch(selector.Command, withheldVariables ?? [], out launched, out error);
        }
        var table = procFs.ReadProcessTable();
        var self = Environment.ProcessId;
        var excluded = ProcFs.Descendants(table, new ProcessKey(self, 0)).Select(p => p.ProcessId).Append(self).ToHashSet();
        var candidates = table.Where(p => !excluded.Contains(p.ProcessId) && p.State is not ('Z' or 'X'));
        if (selector.Match is { } pattern)
        {
            var regex = new Regex(pattern, RegexOptions.None, TimeSpan.FromSeconds(1));
            var matching = candidates.Where(p => regex.IsMatch(procFs.TryReadCommandLine(p.ProcessId) ?? "")).ToList();
            if (matching.Count == 0)
            {
                error = $"no process visible here has a command line matching /{pattern}/";
                return null;
            }
            return Busiest(matching, subprocesses, $"--match /{pattern}/");
        }
        var others = candidates.ToList();
        var pythons = others.Where(p => LooksLikePython(procFs, p.ProcessId)).ToList();
        if (pythons.Count == 0)
        {
            (errorCode, error) = NoPython(others.Select(p => (p.ProcessId, procFs.TryReadCommandLine(p.ProcessId) ?? "?")).ToList());
            return null;
        }
        return Busiest(pythons, subprocesses, "--pid auto");
    }

    // Watches the candidates' CPU for a moment (skipped when there is nothing to choose between).
    private int Busiest(List<ProcessStat> set, bool subprocesses, string chooser)
    {
        var before = set.ToDictionary(p => p.ProcessId, p => ProcessCpu.TryReadTicks(procFs, p.ProcessId) ?? 0);
        if (set.Count > 1)
        {
            Thread.Sleep(Window);
        }
        var candidates = set
            .Select(p => (Stat: p, After: ProcessCpu.TryReadTicks(procFs, p.ProcessId)))
            .Where(p => p.After is not null)
            .Select(p => new Candidate(p.Stat.ProcessId, p.Stat.ParentProcessId, p.Stat.StartTime, procFs.TryReadCommandLine(p.Stat.ProcessId) ?? p.Stat.Command,
                Math.Max(0, p.After!.Value - before[p.Stat.ProcessId]), p.After.Value))
            .ToList();
        if (candidates.Count == 0)
        {
            return set[0].ProcessId;   // all exited meanwhile: attaching says so
        }
        var (pid, why) = BusiestChoice.Choose(candidates, subprocesses, set.Count > 1 ? Window : TimeSpan.Zero, chooser);
        notice?.Invoke(why);
        return pid;
    }

    /// <summary>
    /// Why <c>--pid auto</c> found nothing: processes that are not Python (a container running something else)
    /// are NotPython, naming a few; no process at all means the agent does not share the target's PID namespace.
    /// </summary>
    internal static (string Code, string Message) NoPython(IReadOnlyList<(int Pid, string Command)> others)
    {
        if (others.Count == 0)
        {
            return (ErrorCodes.ProcessNotFound,
                "--pid auto found no process besides the agent in this PID namespace (is this container sharing the target's PID namespace?)");
        }
        var named = string.Join(", ", others.OrderBy(p => p.Pid).Take(3).Select(p => $"PID {p.Pid} ({BusiestChoice.Shortened(p.Command)})"));
        var more = others.Count > 3 ? $" and {others.Count - 3} more" : "";
        return (ErrorCodes.NotPython, $"--pid auto found no Python process in this PID namespace, only {named}{more}");
    }

    /// <summary>A cheap pre-filter before the real probe: a python executable or a libpython mapping.</summary>
    internal static bool LooksLikePython(ProcFs procFs, int pid)
    {
        var exe = procFs.TryReadExecutable(pid) ?? "";
        if (Path.GetFileName(exe).StartsWith("python", StringComparison.Ordinal))
        {
            return true;
        }
        try
        {
            return ProcessMaps.Read(pid, procFs.Root).FilePaths().Any(p => p.Contains("libpython", StringComparison.Ordinal));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static int? Launch(IReadOnlyList<string> command, IReadOnlyCollection<string> withheld, out LaunchedProcess? launched, out string error)
    {
        launched = LaunchedProcess.Start(command, withheld, out error);
        return launched?.ProcessId;
    }
}
