using Pyrometer.Rendering.Model;

namespace Pyrometer.Rendering.FlameGraph;

/// <summary>One self-contained, interactive flame graph SVG; the same profile and options give the same bytes.</summary>
internal static class FlameGraphWriter
{
    public static void Write(Profile profile, Stream output, FlameGraphOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentNullException.ThrowIfNull(output);
        options ??= FlameGraphOptions.Default;
        options.Validate();
        var layout = FlameLayout.Compute(profile, FlameSvgDocument.MinSamples(options, profile.TotalSamples));
        FlameSvgDocument.Write(output, options, Headline.Title(options, profile), Headline.Subtitle(profile), profile, layout, new PlainStyle(profile, layout));
    }

    private sealed class PlainStyle(Profile profile, FlameLayout layout) : IFrameStyle
    {
        public string Fill(int rectIndex)
        {
            var rect = layout.Rects[rectIndex];
            if (rect.Frame == FlameLayout.RootFrame)
            {
                return FrameColors.Root;
            }
            if (rect.Frame == FlameLayout.MergedFrame)
            {
                return FrameColors.Merged;
            }
            var frame = profile.GetFrame(rect.Frame);
            return frame.Kind switch
            {
                FrameKind.Process => FrameColors.Process,
                FrameKind.Thread => FrameColors.Thread,
                _ => FrameColors.ForFile(frame.File),
            };
        }

        public void WriteDetails(SvgWriter svg, int rectIndex) =>
            svg.Raw(FlameSvgDocument.SamplesText(layout.Rects[rectIndex].Width, layout.Total));
    }
}
