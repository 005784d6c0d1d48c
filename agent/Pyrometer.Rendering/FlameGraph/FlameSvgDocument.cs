using System.Globalization;
using Pyrometer.Rendering.Model;

namespace Pyrometer.Rendering.FlameGraph;

/// <summary>Writes the SVG around a <see cref="FlameLayout"/>: header, script, one group per box, footer.</summary>
internal static class FlameSvgDocument
{
    public const int Pad = 10;
    private const int HeaderHeight = 60;
    private const int FooterHeight = 30;
    private const int TitleFontSize = 17;

    /// <summary>
    /// Room kept free of the title on each side of the top line when the controls are drawn: "Reset zoom" and
    /// "Search" at 12 px take about 80 px in Verdana; the script trims the title further if a font is wider.
    /// </summary>
    public const int ControlsWidth = 100;

    // Verdana is wide: 0.68 em per character on average, so the estimate errs towards a shorter title.
    private const double TitleCharWidth = TitleFontSize * 0.68;

    private const string Style = """
        <style>
        text { font-family: Verdana, "DejaVu Sans", sans-serif; fill: #000; }
        #frames text { pointer-events: none; }
        #frames g { cursor: pointer; }
        #frames rect { stroke: #f8f8f8; stroke-width: 0.5; }
        #frames g:hover rect { stroke: #000; }
        .parent { opacity: 0.5; }
        .title { font-size: 17px; text-anchor: middle; }
        .subtitle { font-size: 12px; fill: #555; text-anchor: middle; }
        .button { font-size: 12px; fill: #06c; cursor: pointer; }
        #details, #matched { font-size: 12px; }
        .hidden { display: none; }
        .empty { font-size: 20px; fill: #888; text-anchor: middle; }
        </style>
        """;

    public static double MinSamples(FlameGraphOptions options, long total) =>
        options.MinFrameWidth <= 0 ? 0 : options.MinFrameWidth / (options.Width - (2 * Pad)) * total;

    public static void Write(
        Stream output, FlameGraphOptions options, string title, string subtitle, Profile profile, FlameLayout layout, IFrameStyle style, IHeaderBlock? block = null)
    {
        var rows = layout.Rects.Count == 0 ? 1 : layout.MaxDepth + 1;
        var headerHeight = HeaderHeight + (block?.Height ?? 0);
        var height = headerHeight + (rows * options.FrameHeight) + FooterHeight;
        var width = options.Width;
        var inner = width - (2 * Pad);
        var charWidth = Math.Round(options.FontSize * 0.59, 2);

        using var svg = new SvgWriter(output);
        svg.Line("""<?xml version="1.0" encoding="UTF-8" standalone="no"?>""");
        svg.Raw("""<svg version="1.1" xmlns="http://www.w3.org/2000/svg" width=""");
        Quoted(svg, width);
        svg.Raw(" height=");
        Quoted(svg, height);
        svg.Raw(""" viewBox="0 0 """);
        svg.Number(width);
        svg.Raw(' ');
        svg.Number(height);
        svg.Raw(options.IncludeScript ? "\" onload=\"init()\">\n" : "\">\n");
        svg.Line(Style);
        if (options.IncludeScript)
        {
            svg.Raw("<script><![CDATA[\n");
            svg.Raw(FlameGraphScript.Source);
            svg.Line("\n]]></script>");
        }
        svg.Raw("""<rect x="0" y="0" width="100%" height="100%" fill="#f8f8f8"/>""" + "\n");
        var titleRoom = width - (2 * Pad) - (options.IncludeScript ? 2 * ControlsWidth : 0);
        Title(svg, width / 2, title, titleRoom);
        TextLine(svg, "subtitle", "subtitle", width / 2, 44, subtitle, null);
        if (options.IncludeScript)
        {
            TextLine(svg, "reset", "button hidden", Pad, 24, "Reset zoom", null);
            TextLine(svg, "search", "button", width - Pad, 24, "Search", "end");
            TextLine(svg, "matched", null, width - Pad, height - 10, " ", "end");
            TextLine(svg, "details", null, Pad, height - 10, " ", null);
        }
        block?.Write(svg, HeaderHeight - 8, width);

        svg.Raw("""<g id="frames" data-total=""");
        Quoted(svg, layout.Total);
        svg.Raw(" data-pad=");
        Quoted(svg, Pad);
        svg.Raw(" data-inner=");
        Quoted(svg, inner);
        svg.Raw(" data-char=\"");
        svg.Number(charWidth);
        svg.Raw("\" data-fh=");
        Quoted(svg, options.FrameHeight);
        svg.Raw(" font-size=");
        Quoted(svg, options.FontSize);
        svg.Raw(">\n");

        var scale = layout.Total == 0 ? 0 : (double)inner / layout.Total;
        for (var i = 0; i < layout.Rects.Count; i++)
        {
            var rect = layout.Rects[i];
            var x = Pad + (rect.Start * scale);
            var w = rect.Width * scale;
            var y = options.Orientation == FlameOrientation.Flame
                ? headerHeight + ((layout.MaxDepth - rect.Depth) * options.FrameHeight)
                : headerHeight + (rect.Depth * options.FrameHeight);
            var name = NameOf(profile, layout, rect);

            svg.Raw("<g data-x=");
            Quoted(svg, rect.Start);
            svg.Raw(" data-w=");
            Quoted(svg, rect.Width);
            svg.Raw(" data-d=");
            Quoted(svg, rect.Depth);
            if (rect.Frame == FlameLayout.MergedFrame)
            {
                svg.Raw(" data-m=\"1\"");
            }
            svg.Raw("><title>");
            svg.Escaped(name);
            svg.Raw('\n');
            style.WriteDetails(svg, i);
            svg.Raw("</title><rect x=\"");
            svg.Number(x);
            svg.Raw("\" y=");
            Quoted(svg, y);
            svg.Raw(" width=\"");
            svg.Number(w);
            svg.Raw("\" height=");
            Quoted(svg, options.FrameHeight - 1);
            svg.Raw(" fill=\"");
            svg.Raw(style.Fill(i));
            svg.Raw("\"/>");
            var label = Fit(name, w, charWidth);
            if (label.Length > 0)
            {
                svg.Raw("<text x=\"");
                svg.Number(x + 3);
                svg.Raw("\" y=");
                Quoted(svg, y + options.FrameHeight - 4);
                svg.Raw('>');
                svg.Escaped(label);
                svg.Raw("</text>");
            }
            svg.Raw("</g>\n");
        }
        svg.Raw("</g>\n");
        if (layout.Rects.Count == 0)
        {
            TextLine(svg, null, "empty", width / 2, headerHeight + (options.FrameHeight / 2) + 6, "no samples", null);
        }
        svg.Raw("</svg>\n");
    }

    /// <summary>Samples and share of all samples, e.g. <c>1,234 samples (12.34%)</c>.</summary>
    public static string SamplesText(long samples, long total) => string.Create(
        CultureInfo.InvariantCulture,
        $"{samples:N0} {(samples == 1 ? "sample" : "samples")} ({(total == 0 ? 0 : 100.0 * samples / total):0.00}%)");

    private static string NameOf(Profile profile, FlameLayout layout, FlameRect rect) => rect.Frame switch
    {
        FlameLayout.RootFrame => "all",
        FlameLayout.MergedFrame => string.Create(CultureInfo.InvariantCulture, $"[{rect.MergedCount} narrow {(rect.MergedCount == 1 ? "frame" : "frames")}]"),
        _ => profile.GetFrame(rect.Frame).Text,
    };

    /// <summary>The name cut to fit <paramref name="width"/> pixels, ending in ".." when cut; empty when not even 3 characters fit.</summary>
    public static ReadOnlySpan<char> Fit(string name, double width, double charWidth)
    {
        var chars = (int)Math.Floor((width - 6) / charWidth);
        if (chars < 3)
        {
            return [];
        }
        return name.Length <= chars ? name : string.Concat(name.AsSpan(0, chars - 2), "..");
    }

    /// <summary>
    /// The title, cut to <paramref name="room"/> pixels so it never runs under the controls; the whole title
    /// is in its data-full attribute, from which the script fits it again with the browser's own font.
    /// </summary>
    private static void Title(SvgWriter svg, int x, string title, int room)
    {
        svg.Raw("<text id=\"title\" class=\"title\" x=");
        Quoted(svg, x);
        svg.Raw(" y=\"24\" data-room=");
        Quoted(svg, room);
        svg.Raw(" data-full=\"");
        svg.Escaped(title);
        svg.Raw("\">");
        svg.Escaped(Fit(title, room + 6, TitleCharWidth));
        svg.Raw("</text>\n");
    }

    private static void Quoted(SvgWriter svg, long value)
    {
        svg.Raw('"');
        svg.Number(value);
        svg.Raw('"');
    }

    private static void TextLine(SvgWriter svg, string? id, string? cssClass, int x, int y, string text, string? anchor)
    {
        svg.Raw("<text");
        if (id is not null)
        {
            svg.Raw(" id=\"" + id + "\"");
        }
        if (cssClass is not null)
        {
            svg.Raw(" class=\"" + cssClass + "\"");
        }
        svg.Raw(" x=");
        Quoted(svg, x);
        svg.Raw(" y=");
        Quoted(svg, y);
        if (anchor is not null)
        {
            svg.Raw(" text-anchor=\"" + anchor + "\"");
        }
        svg.Raw('>');
        svg.Escaped(text);
        svg.Raw("</text>\n");
    }
}
