namespace Pyrometer.Kube.Models;

/// <summary>A subset of <c>PodSpec</c>.</summary>
public sealed class PodSpec
{
    /// <summary>The pod's regular containers.</summary>
    public List<Container> Containers { get; set; } = [];

    /// <summary>Ephemeral (debug) containers added after creation.</summary>
    public List<EphemeralContainer>? EphemeralContainers { get; set; }

    /// <summary>Pod-level security settings.</summary>
    public PodSecurityContext? SecurityContext { get; set; }

    /// <summary>The node the pod is bound to.</summary>
    public string? NodeName { get; set; }

    /// <summary>True when all containers share one PID namespace.</summary>
    public bool? ShareProcessNamespace { get; set; }
}
