namespace Pyrometer.Kubectl.Cli;

/// <summary>Which kubeconfig, context and namespace to use; null means kubectl's default.</summary>
internal sealed record ConnectionSettings(string? Kubeconfig, string? Context, string? Namespace);
