namespace Pyrometer.Kubectl.Debug;

/// <summary>Where an ephemeral container is: not started yet, running, ended (with its exit code), or stuck.</summary>
internal sealed record ContainerState(ContainerStage Stage, int? ExitCode, string? Problem);
