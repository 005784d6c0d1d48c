namespace Pyrometer.Rendering.FlameGraph;

/// <summary>How a differential flame graph compares BEFORE with AFTER.</summary>
public sealed record DiffOptions
{
    /// <summary>Rows of the changes table drawn above the diff, per direction.</summary>
    public const int DefaultTableRows = 5;

    /// <summary>The defaults.</summary>
    public static DiffOptions Default { get; } = new();

    /// <summary>Drawing options.</summary>
    public FlameGraphOptions FlameGraph { get; init; } = FlameGraphOptions.Default;

    /// <summary>Draw AFTER's shape (the default) or BEFORE's.</summary>
    public DiffShape Shape { get; init; } = DiffShape.After;

    /// <summary>
    /// Compare shares of each profile's own total (the default), so a longer recording does not look like
    /// growth everywhere; false compares raw sample counts.
    /// </summary>
    public bool Normalize { get; init; } = true;

    /// <summary>
    /// Match frames by function, line and file (<c>f (app.py:57)</c>); by default they match by function and
    /// file only, so an edit that moves lines is no change.
    /// </summary>
    public bool ByLine { get; init; }

    /// <summary>Rows of the grew/shrank table in the header, 0 to 20 (default <see cref="DefaultTableRows"/>); 0 leaves it out.</summary>
    public int TableRows { get; init; } = DefaultTableRows;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first field out of range.</summary>
    public void Validate()
    {
        ArgumentNullException.ThrowIfNull(FlameGraph, nameof(FlameGraph));
        FlameGraph.Validate();
        if (!Enum.IsDefined(Shape))
        {
            throw new ArgumentException($"DiffOptions.Shape must be After or Before; it is {Shape}.", nameof(Shape));
        }
        if (TableRows is < 0 or > 20)
        {
            throw new ArgumentException($"DiffOptions.TableRows must be between 0 and 20; it is {TableRows}.", nameof(TableRows));
        }
    }
}
