namespace Pyrometer.Kubectl.Cli;

/// <summary>A validated <c>record</c> command line.</summary>
internal sealed record RecordSettings(
    TargetSpec Target,
    TimeSpan Duration,
    string DurationText,
    string Mode,
    int? Rate,
    IReadOnlyList<string> Formats,
    string? Baseline,
    double? Threshold,
    string? Name,
    string? Container,
    int? MaxPods,
    string? OutputDirectory,
    bool Open,
    bool Download);
