namespace Pyrometer.Kube.Models;

/// <summary>A container that is not running yet.</summary>
public sealed class ContainerStateWaiting
{
    /// <summary>Why it waits, e.g. <c>ContainerCreating</c> or <c>ImagePullBackOff</c>.</summary>
    public string? Reason { get; set; }

    /// <summary>Details.</summary>
    public string? Message { get; set; }
}
