namespace Pyrometer.Operator.Storage;

/// <summary>What checking a signed URL found.</summary>
internal enum SignatureVerdict
{
    Valid,

    /// <summary>A parameter is absent or malformed.</summary>
    Malformed,

    /// <summary>The signature is not one this store issued for this method, path, expiry, nonce and size limit.</summary>
    Forged,

    /// <summary>The signature is genuine but its expiry has passed.</summary>
    Expired,
}
