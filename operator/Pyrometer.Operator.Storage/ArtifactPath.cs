using System.Buffers;
using System.Diagnostics.CodeAnalysis;

namespace Pyrometer.Operator.Storage;

/// <summary>
/// The one place that decides which artifact paths are acceptable. Paths are exactly
/// <c>namespace/request/pod-or-merged/format.extension</c>; every segment starts with a letter or digit and
/// holds only letters, digits, '.', '-' and '_'. That excludes '..', absolute paths, backslashes and any
/// percent-encoding outright, so no decoding step can turn an accepted path into a traversal.
/// </summary>
public static class ArtifactPath
{
    /// <summary>The longest segment accepted: a DNS subdomain name, the longest Kubernetes object name.</summary>
    public const int MaxSegmentLength = 253;

    private const int SegmentCount = 4;

    private static readonly SearchValues<char> SegmentChars =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-_");

    /// <summary>Throws <see cref="ArgumentException"/> naming the field when a key would make an unsafe path.</summary>
    public static void Validate(ArtifactKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        Require(key.Namespace, "namespace");
        Require(key.Request, "request name");
        if (key.Pod is not null)
        {
            Require(key.Pod, "pod name");
        }
        Require(key.Format, "format");
        if (key.Format.Contains('.', StringComparison.Ordinal))
        {
            throw new ArgumentException($"The artifact format '{key.Format}' must not contain '.'.", nameof(key));
        }
        Require(key.Extension, "extension");
    }

    /// <summary>Parses a relative path back into its key; <paramref name="error"/> says what is wrong otherwise.</summary>
    public static bool TryParse(string relativePath, [NotNullWhen(true)] out ArtifactKey? key, out string error)
    {
        key = null;
        var segments = relativePath.Split('/');
        if (segments.Length != SegmentCount)
        {
            error = "an artifact path is namespace/request/pod/format.extension";
            return false;
        }
        foreach (var segment in segments)
        {
            if (!IsSafeSegment(segment))
            {
                error = "a path segment is empty, too long, starts with something other than a letter or digit, or holds a character other than letters, digits, '.', '-' and '_'";
                return false;
            }
        }
        var dot = segments[3].IndexOf('.', StringComparison.Ordinal);
        if (dot <= 0 || dot == segments[3].Length - 1)
        {
            error = "the file name must be format.extension";
            return false;
        }
        var pod = segments[2] == ArtifactKey.MergedSegment ? null : segments[2];
        key = new ArtifactKey(segments[0], segments[1], pod, segments[3][..dot], segments[3][(dot + 1)..]);
        error = "";
        return true;
    }

    /// <summary>True for a non-empty segment of allowed characters that starts with a letter or digit and has no "..".</summary>
    public static bool IsSafeSegment(string segment) =>
        segment.Length is > 0 and <= MaxSegmentLength
        && char.IsAsciiLetterOrDigit(segment[0])
        && !segment.AsSpan().ContainsAnyExcept(SegmentChars)
        && !segment.Contains("..", StringComparison.Ordinal);

    private static void Require(string value, string what)
    {
        if (!IsSafeSegment(value))
        {
            throw new ArgumentException(
                $"The artifact {what} '{value}' is not usable in a storage path: it must be 1-{MaxSegmentLength} letters, digits, '.', '-' or '_', starting with a letter or digit.",
                nameof(value));
        }
    }
}
