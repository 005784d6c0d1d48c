namespace Pyrometer.Kube.Models;

/// <summary>A subset of <c>ContainerStatus</c>.</summary>
public sealed class ContainerStatus
{
    /// <summary>The container's name.</summary>
    public string Name { get; set; } = "";

    /// <summary>True when the container passes its readiness probe.</summary>
    public bool Ready { get; set; }

    /// <summary>How many times the container restarted.</summary>
    public int RestartCount { get; set; }

    /// <summary>The image running.</summary>
    public string? Image { get; set; }

    /// <summary>The runtime's container ID, e.g. <c>containerd://…</c>.</summary>
    public string? ContainerID { get; set; }

    /// <summary>The current state.</summary>
    public ContainerState? State { get; set; }

    /// <summary>The previous state, after a restart.</summary>
    public ContainerState? LastState { get; set; }
}
