namespace Pyrometer.Kube.Models;

/// <summary>The component and host that emitted an event.</summary>
public sealed class EventSource
{
    /// <summary>The emitting component.</summary>
    public string? Component { get; set; }

    /// <summary>The node it ran on.</summary>
    public string? Host { get; set; }
}
