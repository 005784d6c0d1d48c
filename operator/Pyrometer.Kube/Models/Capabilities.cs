namespace Pyrometer.Kube.Models;

/// <summary>Linux capabilities to add and drop.</summary>
public sealed class Capabilities
{
    /// <summary>Capabilities to add, e.g. <c>SYS_PTRACE</c>.</summary>
    public List<string>? Add { get; set; }

    /// <summary>Capabilities to drop, e.g. <c>ALL</c>.</summary>
    public List<string>? Drop { get; set; }
}
