namespace Pyrometer.Agent.Contracts;

/// <summary>One sampled process.</summary>
/// <param name="Pid">The PID as seen inside the target container.</param>
/// <param name="Cmd">Its command line (truncated).</param>
/// <param name="Python">The CPython version, e.g. <c>3.12.7</c>.</param>
/// <param name="Samples">Stacks recorded from it.</param>
public sealed record ResultProcess(int Pid, string Cmd, string Python, long Samples);
