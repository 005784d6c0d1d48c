namespace Pyrometer.EndToEnd.Tests.Support;

/// <summary>Which store the operator is started with.</summary>
internal enum ArtifactStoreKind
{
    /// <summary>The S3 server hack/e2e.sh runs on the node's bridge address.</summary>
    S3,

    /// <summary>The operator's own store, its upload URLs on the node's bridge address.</summary>
    BuiltIn,
}
