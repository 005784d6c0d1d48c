using System.Globalization;
using System.Xml.Linq;

namespace Pyrometer.Rendering.Tests.Support;

/// <summary>The frame boxes of a generated SVG, read back with XDocument (which also proves it is well-formed XML).</summary>
internal static class SvgFrames
{
    public static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    public sealed record Box(string Name, string Details, long X, long Width, int Depth, bool Merged, string Fill);

    public static XDocument Parse(byte[] svg)
    {
        using var stream = new MemoryStream(svg);
        return XDocument.Load(stream);
    }

    public static List<Box> Boxes(XDocument document)
    {
        var frames = document.Descendants(Svg + "g").Single(g => (string?)g.Attribute("id") == "frames");
        return frames.Elements(Svg + "g").Select(g =>
        {
            var title = g.Element(Svg + "title")!.Value;
            var newline = title.IndexOf('\n', StringComparison.Ordinal);
            return new Box(
                newline < 0 ? title : title[..newline],
                newline < 0 ? "" : title[(newline + 1)..],
                long.Parse((string)g.Attribute("data-x")!, CultureInfo.InvariantCulture),
                long.Parse((string)g.Attribute("data-w")!, CultureInfo.InvariantCulture),
                int.Parse((string)g.Attribute("data-d")!, CultureInfo.InvariantCulture),
                g.Attribute("data-m") is not null,
                (string)g.Element(Svg + "rect")!.Attribute("fill")!);
        }).ToList();
    }

    /// <summary>The SVG pretty-printed, with the script body replaced so goldens do not churn with it.</summary>
    public static string ForGolden(byte[] svg)
    {
        var document = Parse(svg);
        foreach (var script in document.Descendants(Svg + "script"))
        {
            script.ReplaceNodes(new XText("/* script elided in golden files */"));
        }
        return document.Declaration + "\n" + document.ToString() + "\n";
    }
}
