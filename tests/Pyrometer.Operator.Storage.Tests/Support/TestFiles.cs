using System.Security.Cryptography;

namespace Pyrometer.Operator.Storage.Tests.Support;

/// <summary>Artifact files with pseudo-random (incompressible, reproducible) content and their SHA-256.</summary>
internal static class TestFiles
{
    public static (string Path, string Sha256) Create(string directory, string name, long bytes, int seed)
    {
        var path = System.IO.Path.Combine(directory, name);
        var random = new Random(seed);
        var buffer = new byte[64 * 1024];
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        using (var file = File.Create(path))
        {
            for (long written = 0; written < bytes;)
            {
                var chunk = (int)Math.Min(buffer.Length, bytes - written);
                random.NextBytes(buffer.AsSpan(0, chunk));
                file.Write(buffer, 0, chunk);
                hash.AppendData(buffer, 0, chunk);
                written += chunk;
            }
        }
        return (path, Convert.ToHexStringLower(hash.GetHashAndReset()));
    }

    public static string Sha256Of(string path)
    {
        using var file = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(file));
    }
}
