using System.CommandLine;
using System.Globalization;
using Pyrometer.Rendering.FlameGraph;

namespace Pyrometer.Agent.Cli;

/// <summary>
/// How the written profiles look, for <c>record</c> and <c>convert</c>: flamegraph.pl's <c>--width</c> and
/// <c>--inverted</c> (icicle), and <c>--by-line</c> as <c>diff</c> names it.
/// </summary>
internal sealed class ViewOptions
{
    public Option<bool> Icicle { get; } = new("--icicle", "--inverted")
    {
        Description = "Flamegraph upside down: the root at the top, callees below (an icicle graph; flamegraph.pl's --inverted)",
    };

    public Option<int> Width { get; } = new("--width")
    {
        Description = "Flamegraph width in pixels",
        DefaultValueFactory = _ => FlameGraphOptions.DefaultWidth,
    };

    public Option<bool> ByLine { get; } = new("--by-line")
    {
        Description = "speedscope: one frame per line (function (file:line)); by default one per function and file, so a function's lines add up",
    };

    public IEnumerable<Option> All => [Icicle, Width, ByLine];

    public ViewSettings? Bind(ParseResult result, List<string> errors)
    {
        var width = result.GetValue(Width);
        if (width is < ViewSettings.MinWidth or > ViewSettings.MaxWidth)
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"--width must be between {ViewSettings.MinWidth} and {ViewSettings.MaxWidth} pixels, got {width}"));
            return null;
        }
        return new ViewSettings { Icicle = result.GetValue(Icicle), Width = width, ByLine = result.GetValue(ByLine) };
    }
}
