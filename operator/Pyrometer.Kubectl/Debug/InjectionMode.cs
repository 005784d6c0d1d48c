namespace Pyrometer.Kubectl.Debug;

/// <summary>How the API server's <c>pods/ephemeralcontainers</c> subresource takes a new container.</summary>
internal enum InjectionMode
{
    /// <summary>1.22 and later: a Pod-shaped strategic merge patch.</summary>
    Pod,

    /// <summary>1.16–1.21 alpha: an <c>EphemeralContainers</c> object, JSON-patched; securityContext is refused.</summary>
    Legacy,
}
