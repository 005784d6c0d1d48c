namespace Pyrometer.Kubectl.Cli;

/// <summary>A validated <c>dump</c> or <c>top</c> command line.</summary>
/// <param name="Command">The agent command: dump or top.</param>
/// <param name="Iterations">top: stop after this many refreshes (default: until q).</param>
internal sealed record DebugSettings(
    string Command,
    string Pod,
    string? Container,
    string? Image,
    string? ImagePullPolicy,
    bool Async,
    bool Json,
    bool Subprocesses,
    int? Iterations = null);
