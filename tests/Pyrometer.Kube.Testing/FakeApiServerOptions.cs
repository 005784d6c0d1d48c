using System.Security.Cryptography.X509Certificates;

namespace Pyrometer.Kube.Testing;

/// <summary>How the fake API server listens.</summary>
internal sealed class FakeApiServerOptions
{
    /// <summary>Serve HTTPS with this certificate (with private key); plain HTTP when null.</summary>
    public X509Certificate2? ServerCertificate { get; init; }

    /// <summary>Require client certificates issued by this CA.</summary>
    public X509Certificate2? ClientCertificateAuthority { get; init; }

    /// <summary>Report an expired watch version as an ERROR event in a 200 stream instead of HTTP 410.</summary>
    public bool GoneAsWatchEvent { get; set; }

    /// <summary>The kind the ephemeralcontainers subresource reports in discovery.</summary>
    public string EphemeralContainersKind { get; init; } = "Pod";

    /// <summary>True when the subresource behaves like a 1.20/1.21 server's (kind EphemeralContainers).</summary>
    public bool LegacyEphemeralContainers => EphemeralContainersKind == "EphemeralContainers";
}
