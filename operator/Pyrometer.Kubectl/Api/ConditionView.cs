namespace Pyrometer.Kubectl.Api;

/// <summary>A status condition (Ready, Regressed, ...).</summary>
internal sealed record ConditionView(string? Type, string? Status, string? Reason, string? Message);
