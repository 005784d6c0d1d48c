namespace Pyrometer.Agent.Session;

/// <summary>An artifact on disk: its format, path, size and SHA-256 (lower-case hex).</summary>
internal sealed record WrittenArtifact(string Format, string Path, long Bytes, string Sha256);
