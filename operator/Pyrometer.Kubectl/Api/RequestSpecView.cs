namespace Pyrometer.Kubectl.Api;

/// <summary>The spec fields the plugin reads back.</summary>
internal sealed record RequestSpecView(string? Duration, string? Baseline);
