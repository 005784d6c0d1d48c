using Pyrometer.Rendering.FlameGraph;
using Pyrometer.Rendering.Pprof;
using Pyrometer.Rendering.Speedscope;

namespace Pyrometer.Rendering.Formats;

/// <summary>Options for every output format, so a caller can render any of them through one call.</summary>
public sealed record RenderOptions
{
    /// <summary>The defaults of every format.</summary>
    public static RenderOptions Default { get; } = new();

    /// <summary>For <see cref="OutputFormats.FlameGraph"/>.</summary>
    public FlameGraphOptions FlameGraph { get; init; } = FlameGraphOptions.Default;

    /// <summary>For <see cref="OutputFormats.Speedscope"/>.</summary>
    public SpeedscopeOptions Speedscope { get; init; } = SpeedscopeOptions.Default;

    /// <summary>For <see cref="OutputFormats.Pprof"/>.</summary>
    public PprofOptions Pprof { get; init; } = PprofOptions.Default;
}
