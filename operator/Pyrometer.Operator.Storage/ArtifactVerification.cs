using System.Globalization;
using System.Security.Cryptography;

namespace Pyrometer.Operator.Storage;

/// <summary>Comparing a stored object with what the agent reported; shared by both stores.</summary>
public static class ArtifactVerification
{
    /// <summary>Throws when the reported size or hash cannot be right, before anything is read.</summary>
    public static void ValidateExpectation(long bytes, string sha256)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bytes);
        ArgumentNullException.ThrowIfNull(sha256);
        if (sha256.Length != 64 || !sha256.All(char.IsAsciiHexDigit))
        {
            throw new ArgumentException($"The reported SHA-256 must be 64 hex digits, got '{sha256}'.", nameof(sha256));
        }
    }

    /// <summary>
    /// Verifies an uploaded artifact and deletes it when it exists but does not match. Upload URLs cannot bind
    /// the body (an S3 presigned PUT takes any size and content): whatever landed that is not what the agent made
    /// (a target replaying its URL, a cut-off body) is never linked or served.
    /// </summary>
    public static async Task<ArtifactCheck> VerifyOrDeleteAsync(IArtifactStore store, ArtifactKey key, long bytes, string sha256, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        var check = await store.VerifyAsync(key, bytes, sha256, cancellationToken).ConfigureAwait(false);
        if (check.Matches || check.StoredBytes is null)
        {
            return check;
        }
        await store.DeleteAsync(key, cancellationToken).ConfigureAwait(false);
        return check with { Problem = "failed verification and was deleted: " + check.Problem, Deleted = true };
    }

    /// <summary>A failed check for an object that is not in the store; <paramref name="where"/> names it.</summary>
    public static ArtifactCheck Missing(string where) => new(false, null, $"{where} does not exist: the agent's upload never arrived");

    /// <summary>A failed check when the sizes differ; null when they agree.</summary>
    public static ArtifactCheck? SizeMismatch(string where, long stored, long reported) => stored == reported
        ? null
        : new ArtifactCheck(false, stored, string.Create(CultureInfo.InvariantCulture, $"{where} holds {stored} bytes but the agent reported {reported}"));

    /// <summary>Hashes <paramref name="content"/> as it streams (a pooled buffer, never the whole object).</summary>
    public static async Task<ArtifactCheck> CompareHashAsync(Stream content, string where, long stored, string reported, CancellationToken cancellationToken)
    {
        var actual = Convert.ToHexStringLower(await SHA256.HashDataAsync(content, cancellationToken));
        return string.Equals(actual, reported, StringComparison.OrdinalIgnoreCase)
            ? new ArtifactCheck(true, stored, null)
            : new ArtifactCheck(false, stored, $"{where} has SHA-256 {actual} but the agent reported {reported.ToLowerInvariant()}");
    }
}
