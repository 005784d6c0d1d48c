using System.Text.RegularExpressions;
using Pyrometer.Agent.Cli;
using Pyrometer.Agent.Contracts;
using Pyrometer.Sampling.Target;

namespace Pyrometer.Agent.Session;

/// <summary>Turns <c>--pid N|auto</c>, <c>--match</c> or <c>-- command</c> into the root PID to profile.</summary>
internal sealed class TargetResolver(ProcFs procFs)
{
    /// <summary>The root PID, or null with an error code (<see cref="ErrorCodes"/>) and a message when nothing fits.</summary>
    public int? Resolve(TargetSelector selector, out LaunchedProcess? launched, out string errorCode, out string error)
    {
        launched = null;
        errorCode = ErrorCodes.ProcessNotFound;
        error = "";
        if (selector.Pid is { } pid)
        {
            return pid;
        }
        if (selector.Command.Count > 0)
        {
            return Launch(selector.Command, out launched, out error);
        }
        var table = procFs.ReadProcessTable();
        var self = Environment.ProcessId;
        var excluded = ProcFs.Descendants(table, new ProcessKey(self, 0)).Select(p => p.ProcessId).Append(self).ToHashSet();
        var candidates = table.Where(p => !excluded.Contains(p.ProcessId) && p.State is not ('Z' or 'X'));
        if (selector.Match is { } pattern)
        {
            var regex = new Regex(pattern, RegexOptions.None, TimeSpan.FromSeconds(1));
            var matching = candidates.Where(p => regex.IsMatch(procFs.TryReadCommandLine(p.ProcessId) ?? "")).ToList();
            var root = Topmost(matching);
            if (root is null)
            {
                error = $"no process visible here has a command line matching /{pattern}/";
            }
            return root;
        }
        var others = candidates.ToList();
        var top = Topmost(others.Where(p => LooksLikePython(p.ProcessId)).ToList());
        if (top is null)
        {
            (errorCode, error) = NoPython(others.Select(p => (p.ProcessId, procFs.TryReadCommandLine(p.ProcessId) ?? "?")).ToList());
        }
        return top;
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
        var named = string.Join(", ", others.OrderBy(p => p.Pid).Take(3).Select(p => $"PID {p.Pid} ({Shortened(p.Command)})"));
        var more = others.Count > 3 ? $" and {others.Count - 3} more" : "";
        return (ErrorCodes.NotPython, $"--pid auto found no Python process in this PID namespace, only {named}{more}");
    }

    private static string Shortened(string command) => command.Length <= 60 ? command : command[..57] + "...";

    /// <summary>The earliest-started process whose parent is not in the set: the root of the tree.</summary>
    internal static int? Topmost(IReadOnlyList<ProcessStat> set)
    {
        var ids = set.Select(p => p.ProcessId).ToHashSet();
        return set.Where(p => !ids.Contains(p.ParentProcessId))
            .OrderBy(p => p.StartTime).ThenBy(p => p.ProcessId)
            .Select(p => (int?)p.ProcessId).FirstOrDefault();
    }

    // A cheap pre-filter before the real probe: a python executable or a libpython mapping.
    private bool LooksLikePython(int pid)
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

    private static int? Launch(IReadOnlyList<string> command, out LaunchedProcess? launched, out string error)
    {
        launched = LaunchedProcess.Start(command, out error);
        return launched?.ProcessId;
    }
}
