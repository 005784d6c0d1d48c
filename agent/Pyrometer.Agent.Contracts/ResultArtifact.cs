namespace Pyrometer.Agent.Contracts;

/// <summary>One output file: its format, size, SHA-256 (hex) and whether its upload succeeded.</summary>
public sealed record ResultArtifact(string Format, long Bytes, string Sha256, bool Uploaded)
{
    /// <summary>Why the upload failed, when it did (never contains the URL's query string).</summary>
    public string? UploadError { get; init; }
}
