namespace Pyrometer.Kubectl.Debug;

/// <summary>The agent image and its pull policy (null: the cluster's default).</summary>
internal sealed record AgentImage(string Reference, string? PullPolicy);
