namespace Pyrometer.Kube.Models;

/// <summary>A reference to another object, e.g. an event's subject.</summary>
public sealed class ObjectReference
{
    /// <summary>The object's API version.</summary>
    public string? ApiVersion { get; set; }

    /// <summary>The object's kind.</summary>
    public string? Kind { get; set; }

    /// <summary>The object's namespace.</summary>
    public string? Namespace { get; set; }

    /// <summary>The object's name.</summary>
    public string? Name { get; set; }

    /// <summary>The object's UID.</summary>
    public string? Uid { get; set; }

    /// <summary>The object's resource version when referenced.</summary>
    public string? ResourceVersion { get; set; }

    /// <summary>A field inside the object, e.g. <c>spec.ephemeralContainers{name}</c>.</summary>
    public string? FieldPath { get; set; }
}
