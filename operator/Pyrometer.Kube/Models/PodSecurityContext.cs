namespace Pyrometer.Kube.Models;

/// <summary>A subset of <c>PodSecurityContext</c>.</summary>
public sealed class PodSecurityContext
{
    /// <summary>Default UID for the pod's containers.</summary>
    public long? RunAsUser { get; set; }

    /// <summary>Default GID for the pod's containers.</summary>
    public long? RunAsGroup { get; set; }

    /// <summary>Require non-root users.</summary>
    public bool? RunAsNonRoot { get; set; }

    /// <summary>Supplementary group owning mounted volumes.</summary>
    public long? FsGroup { get; set; }
}
