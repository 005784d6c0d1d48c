using Pyrometer.Kubectl.Cli;

namespace Pyrometer.Kubectl.Record;

/// <summary>Local file names for artifacts (pure): built only from checked parts, so status cannot steer a write elsewhere.</summary>
internal static class ArtifactFileNames
{
    private static readonly Dictionary<string, string> Extensions = new(StringComparer.Ordinal)
    {
        ["flamegraph"] = ".svg",
        ["speedscope"] = ".speedscope.json",
        ["folded"] = ".folded",
        ["pprof"] = ".pb.gz",
        ["diff"] = ".svg",
        ["diff-before"] = ".svg",
        ["changes"] = ".changes.json",
    };

    /// <summary><c>merged-flamegraph.svg</c>, <c>POD-folded.folded</c>; null when the format or pod name is not a plain name.</summary>
    public static string? For(string? format, string? pod)
    {
        if (format is null || !KubeNames.IsLabel(format))
        {
            return null;
        }
        string owner;
        if (string.IsNullOrEmpty(pod))
        {
            owner = "merged";
        }
        else if (KubeNames.IsObjectName(pod) && pod.Length <= 200)
        {
            owner = pod;
        }
        else
        {
            return null;
        }
        return $"{owner}-{format}{Extensions.GetValueOrDefault(format, ".bin")}";
    }
}
