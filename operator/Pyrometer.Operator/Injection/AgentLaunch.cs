namespace Pyrometer.Operator.Injection;

/// <summary>How the agent is started: its arguments (world-readable in /proc/PID/cmdline) and its secret environment.</summary>
/// <param name="Args">The command line; never holds a URL or anything else secret.</param>
/// <param name="Uploads">The value of <see cref="AgentArgsBuilder.UploadsVariable"/>: one <c>FORMAT=URL</c> per line.</param>
internal sealed record AgentLaunch(IReadOnlyList<string> Args, string Uploads);
