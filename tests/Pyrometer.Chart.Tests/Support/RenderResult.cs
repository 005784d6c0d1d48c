namespace Pyrometer.Chart.Tests.Support;

/// <summary>One run of hack/chart-render.</summary>
internal sealed record RenderResult(int ExitCode, string Stdout, string Stderr);
