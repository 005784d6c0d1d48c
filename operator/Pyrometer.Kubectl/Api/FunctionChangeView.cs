namespace Pyrometer.Kubectl.Api;

/// <summary>One function that grew or shrank: percent of each profile's samples, and the change in percentage points.</summary>
internal sealed record FunctionChangeView(
    string? Function,
    string? File,
    double? SelfChange,
    double? TotalChange,
    double? SelfBefore,
    double? SelfAfter,
    double? TotalBefore,
    double? TotalAfter);
