using System.Globalization;
using System.Xml.Linq;

namespace Pyrometer.EndToEnd.Tests.Support;

/// <summary>
/// The frames of a flamegraph SVG as a viewer sees them: each <c>&lt;g data-x data-w data-d&gt;</c> box (in
/// samples) with its title's first line. Self time of a box is its width minus its children's.
/// </summary>
internal sealed class FlameGraphSvg
{
    private readonly List<(string Text, long X, long Width, int Depth)> _boxes;

    public FlameGraphSvg(byte[] content)
    {
        using var stream = new MemoryStream(content);
        var document = XDocument.Load(stream); // throws on malformed XML
        _boxes = document.Descendants()
            .Where(e => e.Name.LocalName == "g" && e.Attribute("data-w") is not null)
            .Select(e => (
                Text: (e.Elements().First(c => c.Name.LocalName == "title").Value.Split('\n')[0]),
                X: long.Parse(e.Attribute("data-x")!.Value, CultureInfo.InvariantCulture),
                Width: long.Parse(e.Attribute("data-w")!.Value, CultureInfo.InvariantCulture),
                Depth: int.Parse(e.Attribute("data-d")!.Value, CultureInfo.InvariantCulture)))
            .ToList();
    }

    public IEnumerable<string> FrameTexts => _boxes.Select(b => b.Text);

    /// <summary>The function whose boxes have the most self width, names without "(file:line)".</summary>
    public string TopSelfFunction => _boxes
        .Select(b => (Name: FunctionName(b.Text), Self: b.Width - ChildrenWidth(b)))
        .GroupBy(b => b.Name)
        .OrderByDescending(g => g.Sum(b => b.Self))
        .First().Key;

    /// <summary>
    /// Whether some box matches the first test and holds, at any depth below, a box matching the second, which
    /// holds one matching the third, and so on: a path a viewer can follow by zooming in.
    /// </summary>
    public bool HasNestedPath(params Func<string, bool>[] levels) =>
        _boxes.Any(box => levels.Length > 0 && levels[0](box.Text) && HasNestedPath(box, levels.AsSpan(1)));

    private bool HasNestedPath((string Text, long X, long Width, int Depth) outer, ReadOnlySpan<Func<string, bool>> levels)
    {
        if (levels.IsEmpty)
        {
            return true;
        }
        foreach (var box in _boxes)
        {
            if (box.Depth > outer.Depth && box.X >= outer.X && box.X + box.Width <= outer.X + outer.Width
                && levels[0](box.Text) && HasNestedPath(box, levels[1..]))
            {
                return true;
            }
        }
        return false;
    }

    private long ChildrenWidth((string Text, long X, long Width, int Depth) box) => _boxes
        .Where(c => c.Depth == box.Depth + 1 && c.X >= box.X && c.X + c.Width <= box.X + box.Width)
        .Sum(c => c.Width);

    private static string FunctionName(string text)
    {
        var open = text.IndexOf(" (", StringComparison.Ordinal);
        return open > 0 ? text[..open] : text;
    }
}
