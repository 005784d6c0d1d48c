namespace Pyrometer.Kubectl.Api;

/// <summary>status.comparison (CONTRACT-16): the functions that grew and shrank against the baseline, in percentage points.</summary>
internal sealed record ComparisonView(
    string? Baseline,
    double? Threshold,
    long? BeforeSamples,
    long? AfterSamples,
    IReadOnlyList<FunctionChangeView>? Grew,
    IReadOnlyList<FunctionChangeView>? Shrank);
