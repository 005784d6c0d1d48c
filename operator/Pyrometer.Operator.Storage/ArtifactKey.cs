using System.Globalization;

namespace Pyrometer.Operator.Storage;

/// <summary>
/// One artifact of one request: stored under
/// <c>&lt;prefix&gt;/&lt;namespace&gt;/&lt;request&gt;/&lt;pod or "merged"&gt;/&lt;format&gt;.&lt;extension&gt;</c>.
/// </summary>
/// <param name="Namespace">The ProfileRequest's namespace.</param>
/// <param name="Request">The ProfileRequest's name.</param>
/// <param name="Pod">The target pod, or null for the profile merged over all targets.</param>
/// <param name="Format">flamegraph, speedscope, folded or pprof.</param>
/// <param name="Extension">The file extension without a dot, e.g. <c>svg</c> or <c>pb.gz</c>.</param>
public sealed record ArtifactKey(string Namespace, string Request, string? Pod, string Format, string Extension)
{
    /// <summary>The path segment standing for the pod of the merged profile (<see cref="Pod"/> null).</summary>
    public const string MergedSegment = "merged";

    /// <summary>The object path below the configured prefix.</summary>
    public string RelativePath => string.Create(CultureInfo.InvariantCulture, $"{Namespace}/{Request}/{Pod ?? MergedSegment}/{Format}.{Extension}");

    /// <summary>The folder holding every artifact of the request (for deletion with the request).</summary>
    public static string RequestFolder(string @namespace, string request) => $"{@namespace}/{request}/";
}
