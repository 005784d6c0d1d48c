using Pyrometer.Rendering.FlameGraph;
using Pyrometer.Rendering.Formats;
using Pyrometer.Rendering.Speedscope;

namespace Pyrometer.Agent.Cli;

/// <summary>How the written profiles look (<see cref="ViewOptions"/>), validated.</summary>
internal sealed record ViewSettings
{
    public const int MinWidth = 200;
    public const int MaxWidth = 20_000;

    public static ViewSettings Default { get; } = new();

    /// <summary>Flamegraph with the root at the top.</summary>
    public bool Icicle { get; init; }

    /// <summary>Flamegraph width in pixels.</summary>
    public int Width { get; init; } = FlameGraphOptions.DefaultWidth;

    /// <summary>speedscope frames per line rather than per function.</summary>
    public bool ByLine { get; init; }

    /// <param name="perThread">speedscope without a timeline: one profile per thread (when stacks have thread frames).</param>
    public RenderOptions ToRenderOptions(bool perThread = false) => RenderOptions.Default with
    {
        FlameGraph = FlameGraphOptions.Default with
        {
            Width = Width,
            Orientation = Icicle ? FlameOrientation.Icicle : FlameOrientation.Flame,
        },
        Speedscope = SpeedscopeOptions.Default with { PerThread = perThread, ByLine = ByLine },
    };
}
