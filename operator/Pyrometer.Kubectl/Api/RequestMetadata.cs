namespace Pyrometer.Kubectl.Api;

/// <summary>metadata: what the plugin needs to name the request and resume a watch.</summary>
internal sealed record RequestMetadata(string? Name, string? Namespace, string? Uid, string? ResourceVersion);
