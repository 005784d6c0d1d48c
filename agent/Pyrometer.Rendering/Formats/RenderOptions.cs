using Pyrometer.Rendering.FlameGraph;
using Pyrometer.Rendering.Pprof;
using Pyrometer.Rendering.Speedscope;

namespace Pyrometer.Rendering.Formats;

/// <summary>Options for every output format, so a caller can render any of them through one call.</summary>
internal sealed record RenderOptions
{
    public static RenderOptions Default { get; } = new();

    public FlameGraphOptions FlameGraph { get; init; } = FlameGraphOptions.Default;

    public SpeedscopeOptions Speedscope { get; init; } = SpeedscopeOptions.Default;

    public PprofOptions Pprof { get; init; } = PprofOptions.Default;
}
