namespace Pyrometer.Rendering.FlameGraph;

/// <summary>How a differential flame graph compares BEFORE with AFTER.</summary>
internal sealed record DiffOptions
{
    public static DiffOptions Default { get; } = new();

    /// <summary>Drawing options; the graph has AFTER's shape.</summary>
    public FlameGraphOptions FlameGraph { get; init; } = FlameGraphOptions.Default;

    /// <summary>
    /// Compare shares of each profile's own total (the default), so a longer recording does not look like
    /// growth everywhere; false compares raw sample counts.
    /// </summary>
    public bool Normalize { get; init; } = true;
}
