using System.Globalization;
using Pyrometer.Rendering.Comparison;

namespace Pyrometer.Rendering.FlameGraph;

/// <summary>
/// A short grew/shrank table under a diff's subtitle: grew on the left, shrank on the right, each row the self
/// and total change in percentage points and the function; hovering a row shows its shares before and after.
/// It sits below the title line, so it never covers the zoom and search controls.
/// </summary>
internal sealed class ChangesHeader(ProfileChanges changes, int rows) : IHeaderBlock
{
    private const int RowHeight = 15;
    private const int FontSize = 11;
    private const double CharWidth = FontSize * 0.59;
    private const string Grew = "#b00";
    private const string Shrank = "#00b";

    private int Rows => Math.Max(1, Math.Min(rows, Math.Max(changes.Grew.Count, changes.Shrank.Count)));

    public int Height => ((Rows + 1) * RowHeight) + 6;

    public void Write(SvgWriter svg, int top, int width)
    {
        var half = (width - (2 * FlameSvgDocument.Pad)) / 2;
        svg.Raw("<g id=\"changes\" font-size=\"11\">\n");
        Column(svg, "Grew most (pp of samples: self, total)", changes.Grew, FlameSvgDocument.Pad, top, half, Grew);
        Column(svg, "Shrank most (pp of samples: self, total)", changes.Shrank, FlameSvgDocument.Pad + half, top, half, Shrank);
        svg.Raw("</g>\n");
    }

    private void Column(SvgWriter svg, string title, IReadOnlyList<FunctionChange> functions, int x, int top, int width, string colour)
    {
        var y = top + RowHeight - 3;
        Text(svg, x, y, null, "#555", title);
        if (functions.Count == 0)
        {
            Text(svg, x, y + RowHeight, null, "#555", "none");
            return;
        }
        foreach (var f in functions.Take(rows))
        {
            y += RowHeight;
            svg.Raw("<g><title>");
            svg.Escaped(f.Label);
            svg.Raw('\n');
            svg.Escaped(string.Create(
                CultureInfo.InvariantCulture,
                $"self {f.BeforeSelfPercent:0.00}% → {f.AfterSelfPercent:0.00}% ({ChangesTable.Points(f.SelfChange)} pp), total {f.BeforeTotalPercent:0.00}% → {f.AfterTotalPercent:0.00}% ({ChangesTable.Points(f.TotalChange)} pp)"));
            svg.Raw("</title>");
            Text(svg, x + 48, y, "end", colour, ChangesTable.Points(f.SelfChange));
            Text(svg, x + 100, y, "end", colour, ChangesTable.Points(f.TotalChange));
            Text(svg, x + 108, y, null, null, FlameSvgDocument.Fit(f.Label, width - 112, CharWidth));
            svg.Raw("</g>\n");
        }
    }

    private static void Text(SvgWriter svg, int x, int y, string? anchor, string? fill, ReadOnlySpan<char> text)
    {
        svg.Raw("<text x=\"");
        svg.Number(x);
        svg.Raw("\" y=\"");
        svg.Number(y);
        svg.Raw('"');
        if (anchor is not null)
        {
            svg.Raw(" text-anchor=\"" + anchor + "\"");
        }
        if (fill is not null)
        {
            svg.Raw(" style=\"fill:" + fill + "\"");   // the stylesheet's text rule would override a fill attribute
        }
        svg.Raw('>');
        svg.Escaped(text);
        svg.Raw("</text>");
    }
}
