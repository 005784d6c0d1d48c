namespace Pyrometer.Rendering.FlameGraph;

/// <summary>Which way a flame graph grows.</summary>
public enum FlameOrientation
{
    /// <summary>Root at the bottom, callees above (the classic flame graph).</summary>
    Flame = 0,

    /// <summary>Root at the top, callees below (an icicle graph).</summary>
    Icicle = 1,
}
