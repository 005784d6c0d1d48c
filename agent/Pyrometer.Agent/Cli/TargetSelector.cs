namespace Pyrometer.Agent.Cli;

/// <summary>How the user named the process to profile.</summary>
/// <param name="Pid">A PID, or null for <c>--pid auto</c> / <c>--match</c> / a launched command.</param>
/// <param name="Match">A regular expression over command lines (<c>--match</c>).</param>
/// <param name="Command">A program to launch and profile (<c>-- python app.py</c>).</param>
internal sealed record TargetSelector(int? Pid, string? Match, IReadOnlyList<string> Command)
{
    public bool IsAuto => Pid is null && Command.Count == 0;
}
