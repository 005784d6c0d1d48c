namespace Pyrometer.Kube.Models;

/// <summary>A literal environment variable.</summary>
public sealed class EnvVar
{
    /// <summary>The variable's name.</summary>
    public string Name { get; set; } = "";

    /// <summary>The variable's value.</summary>
    public string? Value { get; set; }
}
