using System.Security.Cryptography;

namespace Pyrometer.Kubectl.Record;

/// <summary>Names new requests as kubectl's generateName would: the target's name, a dash and five random characters.</summary>
internal static class RequestNames
{
    private const string Alphabet = "bcdfghjklmnpqrstvwxz2456789";   // Kubernetes' own: no vowels, no look-alikes
    private const int SuffixLength = 5;

    public static string For(string baseName)
    {
        ArgumentException.ThrowIfNullOrEmpty(baseName);
        // Room for the suffix within 63 characters keeps the name usable as a label value too.
        var stem = baseName.Length > 57 ? baseName[..57].TrimEnd('-', '.') : baseName;
        var suffix = new string([.. Enumerable.Range(0, SuffixLength).Select(_ => Alphabet[RandomNumberGenerator.GetInt32(Alphabet.Length)])]);
        return stem + "-" + suffix;
    }
}
