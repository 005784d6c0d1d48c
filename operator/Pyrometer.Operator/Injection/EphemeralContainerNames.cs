namespace Pyrometer.Operator.Injection;

/// <summary>The agent container's name, derived from the request UID so a repeated reconcile finds it instead of adding another.</summary>
internal static class EphemeralContainerNames
{
    public const string Prefix = "pyrometer-";

    public static string For(string requestUid)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(requestUid);
        var hex = new string([.. requestUid.Where(char.IsAsciiHexDigit).Select(char.ToLowerInvariant).Take(6)]);
        if (hex.Length < 6)
        {
            // Real UIDs are UUIDs; anything shorter (a test fake's "uid-7") is hashed so the name stays unique per UID.
            hex = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(requestUid)))[..6];
        }
        return Prefix + hex;
    }
}
