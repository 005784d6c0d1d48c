namespace Pyrometer.Kube.Api;

/// <summary>The patch formats the API server understands.</summary>
public enum KubePatchType
{
    /// <summary>RFC 7386 JSON merge patch (<c>application/merge-patch+json</c>).</summary>
    Merge,

    /// <summary>Kubernetes strategic merge patch, built-in kinds only (<c>application/strategic-merge-patch+json</c>).</summary>
    StrategicMerge,

    /// <summary>RFC 6902 JSON patch (<c>application/json-patch+json</c>).</summary>
    JsonPatch,
}
