namespace Pyrometer.Kube.Models;

/// <summary>The API server's <c>/version</c> document.</summary>
public sealed class ServerVersion
{
    /// <summary>Major version, e.g. <c>1</c>.</summary>
    public string? Major { get; set; }

    /// <summary>Minor version, e.g. <c>31</c> or <c>31+</c> on some distributions.</summary>
    public string? Minor { get; set; }

    /// <summary>Full version, e.g. <c>v1.31.2</c>.</summary>
    public string? GitVersion { get; set; }

    /// <summary>The platform, e.g. <c>linux/amd64</c>.</summary>
    public string? Platform { get; set; }
}
