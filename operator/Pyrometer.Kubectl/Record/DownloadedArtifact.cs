namespace Pyrometer.Kubectl.Record;

/// <summary>One artifact's download: the file written, or why there is none.</summary>
internal sealed record DownloadedArtifact(string Format, string Pod, string? Path, string? Error);
