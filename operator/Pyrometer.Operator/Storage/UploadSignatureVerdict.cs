namespace Pyrometer.Operator.Storage;

/// <summary>What checking an upload URL's signature found.</summary>
internal enum UploadSignatureVerdict
{
    Valid,

    /// <summary>A parameter is absent or malformed.</summary>
    Malformed,

    /// <summary>The signature is not one this store issued for this method, path, expiry and nonce.</summary>
    Forged,

    /// <summary>The signature is genuine but its expiry has passed.</summary>
    Expired,
}
