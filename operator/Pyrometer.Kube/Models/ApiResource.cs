namespace Pyrometer.Kube.Models;

/// <summary>One resource (or subresource) listed by API discovery.</summary>
public sealed class ApiResource
{
    /// <summary>The plural name, or <c>plural/subresource</c>, e.g. <c>pods/ephemeralcontainers</c>.</summary>
    public string Name { get; set; } = "";

    /// <summary>The singular name.</summary>
    public string? SingularName { get; set; }

    /// <summary>True when the resource lives in namespaces.</summary>
    public bool Namespaced { get; set; }

    /// <summary>The kind the endpoint accepts and returns, e.g. <c>EphemeralContainers</c> or <c>Pod</c>.</summary>
    public string Kind { get; set; } = "";

    /// <summary>The group, when it differs from the list's group.</summary>
    public string? Group { get; set; }

    /// <summary>The version, when it differs from the list's version.</summary>
    public string? Version { get; set; }

    /// <summary>The verbs supported, e.g. <c>get</c>, <c>patch</c>.</summary>
    public List<string>? Verbs { get; set; }
}
