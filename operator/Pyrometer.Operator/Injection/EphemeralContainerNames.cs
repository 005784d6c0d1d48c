namespace Pyrometer.Operator.Injection;

/// <summary>The agent container's name, derived from the request UID so a repeated reconcile finds it instead of adding another.</summary>
internal static class EphemeralContainerNames
{
    public const string Prefix = "pyrometer-";

    /// <summary>
    /// 12 hex digits (48 bits) of the UID: ephemeral containers are never removed from a pod, so a name that two
    /// requests share would make the second adopt the first's agent; with 6 digits that took only a few thousand requests.
    /// </summary>
    public const int HexDigits = 12;

    public static string For(string requestUid)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(requestUid);
        var hex = new string([.. requestUid.Where(char.IsAsciiHexDigit).Select(char.ToLowerInvariant).Take(HexDigits)]);
        if (hex.Length < HexDigits)
        {
            // Real UIDs are UUIDs; anything shorter (a test fake's "uid-7") is hashed so the name stays unique per UID.
            hex = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(requestUid)))[..HexDigits];
        }
        return Prefix + hex;
    }

    /// <summary>Whether a container in a pod's spec is one of ours (any request's agent, past or present).</summary>
    public static bool IsAgent(string? containerName) => containerName?.StartsWith(Prefix, StringComparison.Ordinal) == true;
}
