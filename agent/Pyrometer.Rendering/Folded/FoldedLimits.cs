namespace Pyrometer.Rendering.Folded;

/// <summary>Caps on what <see cref="FoldedLineReader"/> accepts; folded input may come from anywhere.</summary>
/// <param name="MaxLineLength">Characters in one line, its count included.</param>
/// <param name="MaxLines">Lines in one input, blank ones included.</param>
/// <param name="MaxDepth">Frames in one stack.</param>
public sealed record FoldedLimits(int MaxLineLength, int MaxLines, int MaxDepth)
{
    /// <summary>
    /// 1 Mi characters a line (4096 frames of 256 characters), 16 Mi lines, 4096 frames: far above what a
    /// sampler writes, low enough that a hostile file fails fast instead of filling memory.
    /// </summary>
    public static FoldedLimits Default { get; } = new(1 << 20, 1 << 24, FoldedReader.MaxDepth);

    private readonly int _maxLineLength = AtLeast(3, MaxLineLength, nameof(MaxLineLength));
    private readonly int _maxLines = AtLeast(1, MaxLines, nameof(MaxLines));
    private readonly int _maxDepth = AtLeast(1, MaxDepth, nameof(MaxDepth));

    /// <summary>Characters in one line, its count included; at least 3 (<c>a 1</c>).</summary>
    public int MaxLineLength { get => _maxLineLength; init => _maxLineLength = AtLeast(3, value, nameof(MaxLineLength)); }

    /// <summary>Lines in one input, blank ones included; at least 1.</summary>
    public int MaxLines { get => _maxLines; init => _maxLines = AtLeast(1, value, nameof(MaxLines)); }

    /// <summary>Frames in one stack; at least 1.</summary>
    public int MaxDepth { get => _maxDepth; init => _maxDepth = AtLeast(1, value, nameof(MaxDepth)); }

    private static int AtLeast(int minimum, int value, string name) =>
        value >= minimum ? value : throw new ArgumentOutOfRangeException(name, value, $"{name} must be at least {minimum}.");
}
