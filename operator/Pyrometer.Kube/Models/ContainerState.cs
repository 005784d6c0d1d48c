namespace Pyrometer.Kube.Models;

/// <summary>A container's state; at most one member is set.</summary>
public sealed class ContainerState
{
    /// <summary>Set while the container is not yet running.</summary>
    public ContainerStateWaiting? Waiting { get; set; }

    /// <summary>Set while the container runs.</summary>
    public ContainerStateRunning? Running { get; set; }

    /// <summary>Set once the container exited.</summary>
    public ContainerStateTerminated? Terminated { get; set; }
}
