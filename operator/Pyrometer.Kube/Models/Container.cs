namespace Pyrometer.Kube.Models;

/// <summary>A subset of a regular container's spec.</summary>
public sealed class Container
{
    /// <summary>The container's name, unique in the pod.</summary>
    public string Name { get; set; } = "";

    /// <summary>The image reference.</summary>
    public string? Image { get; set; }

    /// <summary>The entrypoint override.</summary>
    public List<string>? Command { get; set; }

    /// <summary>Arguments to the entrypoint.</summary>
    public List<string>? Args { get; set; }

    /// <summary>Container-level security settings.</summary>
    public SecurityContext? SecurityContext { get; set; }
}
