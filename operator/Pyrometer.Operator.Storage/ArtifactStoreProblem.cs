namespace Pyrometer.Operator.Storage;

/// <summary>What kind of storage failure an <see cref="ArtifactStoreException"/> reports.</summary>
public enum ArtifactStoreProblem
{
    /// <summary>The store refused the credentials: unknown access key, wrong secret, expired token.</summary>
    InvalidCredentials,

    /// <summary>The credentials are valid but lack a permission the operator needs.</summary>
    AccessDenied,

    /// <summary>The configured bucket does not exist.</summary>
    BucketNotFound,

    /// <summary>The endpoint could not be reached, or timed out.</summary>
    Unreachable,

    /// <summary>The store answered with a server error; trying again later may help.</summary>
    Unavailable,

    /// <summary>The local directory of the built-in store cannot be used.</summary>
    LocalStorage,

    /// <summary>Anything else the store reported.</summary>
    Other,
}
