namespace Pyrometer.Operator.Injection;

/// <summary>How the API server's <c>pods/ephemeralcontainers</c> subresource takes new containers.</summary>
internal enum InjectionMode
{
    /// <summary>1.22 and later: a Pod-shaped strategic merge patch.</summary>
    Pod,

    /// <summary>1.20/1.21 alpha: an <c>EphemeralContainers</c> body, JSON patch on <c>/ephemeralContainers/-</c>; securityContext is forbidden.</summary>
    Legacy,
}
