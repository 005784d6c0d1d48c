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
}
