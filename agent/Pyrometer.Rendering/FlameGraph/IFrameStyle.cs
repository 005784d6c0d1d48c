namespace Pyrometer.Rendering.FlameGraph;

/// <summary>What differs between a plain and a differential flame graph: each box's colour and the second line of its tooltip.</summary>
internal interface IFrameStyle
{
    string Fill(int rectIndex);

    void WriteDetails(SvgWriter svg, int rectIndex);
}
