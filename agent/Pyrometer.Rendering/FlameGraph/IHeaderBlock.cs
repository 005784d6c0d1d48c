namespace Pyrometer.Rendering.FlameGraph;

/// <summary>Extra lines under the subtitle, above the frames; the frames move down by <see cref="Height"/>.</summary>
internal interface IHeaderBlock
{
    int Height { get; }

    /// <summary>Draws the block between <paramref name="top"/> and top + <see cref="Height"/>, inside the side padding.</summary>
    void Write(SvgWriter svg, int top, int width);
}
