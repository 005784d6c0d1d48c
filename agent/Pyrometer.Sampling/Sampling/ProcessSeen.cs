namespace Pyrometer.Sampling.Sampling;

/// <summary>A process that was attached during the run.</summary>
internal sealed record ProcessSeen(int ProcessId, string CommandLine, string PythonVersion);
