namespace Pyrometer.Rendering.FlameGraph;

/// <summary>How a flame graph SVG (plain or differential) is drawn.</summary>
public sealed record FlameGraphOptions
{
    /// <summary>Image width in pixels.</summary>
    public const int DefaultWidth = 1200;
    /// <summary>Height of one frame's box in pixels.</summary>
    public const int DefaultFrameHeight = 16;
    /// <summary>Font size in pixels.</summary>
    public const int DefaultFontSize = 12;

    /// <summary>
    /// Half a pixel: narrower frames could not be seen or hovered, and merging them keeps a profile of
    /// 100 000 unique stacks to a few MB.
    /// </summary>
    public const double DefaultMinFrameWidth = 0.5;

    /// <summary>The defaults.</summary>
    public static FlameGraphOptions Default { get; } = new();

    /// <summary>Image width in pixels, 200 to 20 000 (default <see cref="DefaultWidth"/>).</summary>
    public int Width { get; init; } = DefaultWidth;

    /// <summary>Height of one frame row in pixels, 8 to 64 (default <see cref="DefaultFrameHeight"/>).</summary>
    public int FrameHeight { get; init; } = DefaultFrameHeight;

    /// <summary>Font size of frame labels in pixels, 6 to 32 (default <see cref="DefaultFontSize"/>).</summary>
    public int FontSize { get; init; } = DefaultFontSize;

    /// <summary>
    /// Frames narrower than this many pixels are merged, per parent, into one "[n narrow frames]" frame that
    /// carries their exact sample total; 0 draws every frame (default <see cref="DefaultMinFrameWidth"/>).
    /// </summary>
    public double MinFrameWidth { get; init; } = DefaultMinFrameWidth;

    /// <summary>Flame (root at the bottom, the default) or icicle (root at the top).</summary>
    public FlameOrientation Orientation { get; init; } = FlameOrientation.Flame;

    /// <summary>The title line; empty means "Pyrometer: " followed by the profile's target.</summary>
    public string Title { get; init; } = "";

    /// <summary>Embed the JavaScript for hover, zoom and search (default true); false gives a static picture.</summary>
    public bool IncludeScript { get; init; } = true;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first field out of range.</summary>
    public void Validate()
    {
        Check(Width is >= 200 and <= 20_000, nameof(Width), "between 200 and 20000 pixels", Width);
        Check(FrameHeight is >= 8 and <= 64, nameof(FrameHeight), "between 8 and 64 pixels", FrameHeight);
        Check(FontSize is >= 6 and <= 32, nameof(FontSize), "between 6 and 32 pixels", FontSize);
        Check(double.IsFinite(MinFrameWidth) && MinFrameWidth is >= 0 and <= 100, nameof(MinFrameWidth), "between 0 and 100 pixels", MinFrameWidth);
        Check(Enum.IsDefined(Orientation), nameof(Orientation), "Flame or Icicle", Orientation);
        ArgumentNullException.ThrowIfNull(Title, nameof(Title));
    }

    private static void Check(bool ok, string field, string expected, object value)
    {
        if (!ok)
        {
            throw new ArgumentException($"FlameGraphOptions.{field} must be {expected}; it is {value}.", field);
        }
    }
}
