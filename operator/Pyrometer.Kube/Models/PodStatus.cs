namespace Pyrometer.Kube.Models;

/// <summary>A subset of <c>PodStatus</c>.</summary>
public sealed class PodStatus
{
    /// <summary><c>Pending</c>, <c>Running</c>, <c>Succeeded</c>, <c>Failed</c> or <c>Unknown</c>.</summary>
    public string? Phase { get; set; }

    /// <summary>A human-readable explanation of the phase.</summary>
    public string? Message { get; set; }

    /// <summary>A machine-readable reason for the phase, e.g. <c>Evicted</c>.</summary>
    public string? Reason { get; set; }

    /// <summary>The pod's IP address.</summary>
    public string? PodIP { get; set; }

    /// <summary>When the kubelet accepted the pod.</summary>
    public DateTimeOffset? StartTime { get; set; }

    /// <summary>Statuses of the regular containers.</summary>
    public List<ContainerStatus>? ContainerStatuses { get; set; }

    /// <summary>Statuses of the ephemeral containers.</summary>
    public List<ContainerStatus>? EphemeralContainerStatuses { get; set; }
}
