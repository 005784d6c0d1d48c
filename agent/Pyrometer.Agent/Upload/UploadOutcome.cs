namespace Pyrometer.Agent.Upload;

/// <summary>How an upload ended, after any retries.</summary>
internal sealed record UploadOutcome(bool Succeeded, int Attempts, string? Error);
