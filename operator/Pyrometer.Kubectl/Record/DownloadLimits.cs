namespace Pyrometer.Kubectl.Record;

/// <summary>How much the plugin reads from artifact links, whatever status or the server claims.</summary>
/// <param name="MaxFileBytes">One artifact; a flame graph of a large profile is a few MiB, so 256 MiB is generous.</param>
/// <param name="MaxTotalBytes">All artifacts of one request (20 pods × 4 formats plus the merged and comparison ones).</param>
internal sealed record DownloadLimits(long MaxFileBytes = 256L << 20, long MaxTotalBytes = 1L << 30);
