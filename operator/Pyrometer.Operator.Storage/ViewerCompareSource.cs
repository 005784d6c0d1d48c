namespace Pyrometer.Operator.Storage;

/// <summary>
/// Which stored profile of a request a comparison reads: folded text or pprof (the formats the comparison code
/// loads), the merged profile first, else the one pod's when the request had a single target. Several pods without
/// a merged profile have no single profile to compare.
/// </summary>
internal static class ViewerCompareSource
{
    private static readonly string[] Formats = ["folded", "pprof"];

    /// <summary>The artifact to compare, or null when the request has none (not succeeded, or no folded/pprof artifact).</summary>
    public static ViewerArtifact? Pick(ViewerEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (entry.Phase != "Succeeded")
        {
            return null;
        }
        var usable = entry.Artifacts.Where(a => Formats.Contains(a.Key.Format, StringComparer.Ordinal)).ToList();
        var merged = usable.Where(a => a.Key.Pod is null).ToList();
        var pods = usable.Select(a => a.Key.Pod).Distinct(StringComparer.Ordinal).Count();
        var candidates = merged.Count > 0 ? merged : pods == 1 ? usable : [];
        return candidates.OrderBy(a => Array.IndexOf(Formats, a.Key.Format)).FirstOrDefault();
    }
}
