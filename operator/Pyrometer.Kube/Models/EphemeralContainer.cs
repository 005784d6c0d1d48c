namespace Pyrometer.Kube.Models;

/// <summary>A subset of an ephemeral container's spec.</summary>
public sealed class EphemeralContainer
{
    /// <summary>The container's name, unique in the pod.</summary>
    public string Name { get; set; } = "";

    /// <summary>The image reference.</summary>
    public string? Image { get; set; }

    /// <summary>The image pull policy: <c>Always</c>, <c>IfNotPresent</c> or <c>Never</c>.</summary>
    public string? ImagePullPolicy { get; set; }

    /// <summary>The entrypoint override.</summary>
    public List<string>? Command { get; set; }

    /// <summary>Arguments to the entrypoint.</summary>
    public List<string>? Args { get; set; }

    /// <summary>Environment variables.</summary>
    public List<EnvVar>? Env { get; set; }

    /// <summary>The container whose namespaces (PID in particular) this one joins.</summary>
    public string? TargetContainerName { get; set; }

    /// <summary>Container-level security settings.</summary>
    public SecurityContext? SecurityContext { get; set; }

    /// <summary>Where the container writes its termination message.</summary>
    public string? TerminationMessagePath { get; set; }

    /// <summary><c>File</c> or <c>FallbackToLogsOnError</c>.</summary>
    public string? TerminationMessagePolicy { get; set; }
}
