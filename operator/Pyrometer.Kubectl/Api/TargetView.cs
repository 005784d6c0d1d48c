namespace Pyrometer.Kubectl.Api;

/// <summary>One profiled pod in status.targets.</summary>
internal sealed record TargetView(string? Pod, string? Phase, string? Reason, string? Message, long? Samples, string? PythonVersion);
