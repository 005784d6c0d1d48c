namespace Pyrometer.Kubectl.Api;

/// <summary>One of the functions with the most self time.</summary>
internal sealed record TopFunctionView(string? Function, string? Location, double? SelfPercent);
