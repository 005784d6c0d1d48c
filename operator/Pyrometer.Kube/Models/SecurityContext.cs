namespace Pyrometer.Kube.Models;

/// <summary>A subset of a container's <c>SecurityContext</c>.</summary>
public sealed class SecurityContext
{
    /// <summary>Capabilities to add and drop.</summary>
    public Capabilities? Capabilities { get; set; }

    /// <summary>The UID the process runs as.</summary>
    public long? RunAsUser { get; set; }

    /// <summary>The GID the process runs as.</summary>
    public long? RunAsGroup { get; set; }

    /// <summary>Require a non-root user.</summary>
    public bool? RunAsNonRoot { get; set; }

    /// <summary>Run privileged.</summary>
    public bool? Privileged { get; set; }

    /// <summary>Allow gaining privileges beyond the parent's.</summary>
    public bool? AllowPrivilegeEscalation { get; set; }

    /// <summary>Mount the root filesystem read-only.</summary>
    public bool? ReadOnlyRootFilesystem { get; set; }
}
