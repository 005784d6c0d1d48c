namespace Pyrometer.Kubectl.Api;

/// <summary>One entry of status.artifacts: a format, its pod ("" for merged), a link, its size and SHA-256.</summary>
internal sealed record ArtifactView(string? Format, string? Pod, string? Url, long? Bytes, string? Sha256);
