using System.Globalization;
using Pyrometer.Rendering.Model;

namespace Pyrometer.Rendering.FlameGraph;

/// <summary>
/// A differential flame graph: AFTER's shape, each box coloured by how the share of the same call path
/// changed from BEFORE (red grew, blue shrank, stronger for bigger changes, grey unchanged).
/// </summary>
internal static class DiffFlameGraphWriter
{
    public static void Write(Profile before, Profile after, Stream output, DiffOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        ArgumentNullException.ThrowIfNull(output);
        options ??= DiffOptions.Default;
        var drawing = options.FlameGraph;
        drawing.Validate();
        var layout = FlameLayout.Compute(after, FlameSvgDocument.MinSamples(drawing, after.TotalSamples));
        var style = new DiffStyle(BeforeSamples(before, after, layout), layout, before.TotalSamples, options.Normalize);
        var title = drawing.Title.Length > 0 ? drawing.Title : $"Pyrometer diff: {Name(before)} → {Name(after)}";
        var subtitle = string.Create(
            CultureInfo.InvariantCulture,
            $"before {before.TotalSamples:N0} samples | after {after.TotalSamples:N0} samples | red grew, blue shrank ({(options.Normalize ? "share of each profile's samples" : "sample counts")})");
        FlameSvgDocument.Write(output, drawing, title, subtitle, after, layout, style);
    }

    /// <summary>For every box of AFTER's layout, the samples BEFORE had on the same call path.</summary>
    internal static long[] BeforeSamples(Profile before, Profile after, FlameLayout layout)
    {
        var beforeIds = new Dictionary<Frame, int>();
        for (var id = 0; id < before.Frames.Count; id++)
        {
            beforeIds[before.GetFrame(id)] = id;
        }
        var toBefore = new int[after.Frames.Count];
        for (var id = 0; id < toBefore.Length; id++)
        {
            toBefore[id] = beforeIds.TryGetValue(after.GetFrame(id), out var match) ? match : -1;
        }

        // BEFORE as a call tree: node 0 is the root; children keyed by (parent node, frame id).
        var children = new Dictionary<(int Parent, int Frame), int>();
        var totals = new List<long> { before.TotalSamples };
        for (var i = 0; i < before.StackCount; i++)
        {
            var node = 0;
            var count = before.GetCount(i);
            foreach (var frame in before.GetStack(i))
            {
                if (!children.TryGetValue((node, frame), out var child))
                {
                    child = totals.Count;
                    totals.Add(0);
                    children.Add((node, frame), child);
                }
                totals[child] += count;
                node = child;
            }
        }

        var nodes = new int[layout.Rects.Count];
        var samples = new long[layout.Rects.Count];
        for (var r = 0; r < layout.Rects.Count; r++)
        {
            var rect = layout.Rects[r];
            if (rect.Frame == FlameLayout.RootFrame)
            {
                nodes[r] = 0;
                samples[r] = before.TotalSamples;
                continue;
            }
            var parent = nodes[rect.Parent];
            if (rect.Frame == FlameLayout.MergedFrame)
            {
                nodes[r] = -1;
                for (var k = rect.MergedStart; k < rect.MergedStart + rect.MergedCount; k++)
                {
                    samples[r] += ChildTotal(parent, toBefore[layout.MergedFrames[k]]);
                }
                continue;
            }
            nodes[r] = parent >= 0 && toBefore[rect.Frame] >= 0 && children.TryGetValue((parent, toBefore[rect.Frame]), out var node) ? node : -1;
            samples[r] = nodes[r] >= 0 ? totals[nodes[r]] : 0;
        }
        return samples;

        long ChildTotal(int parent, int frame) =>
            parent >= 0 && frame >= 0 && children.TryGetValue((parent, frame), out var child) ? totals[child] : 0;
    }

    private static string Name(Profile profile) => profile.Metadata.Target.Length > 0 ? profile.Metadata.Target : "?";

    private sealed class DiffStyle : IFrameStyle
    {
        private readonly long[] _before;
        private readonly FlameLayout _layout;
        private readonly long _beforeTotal;
        private readonly bool _normalize;
        private readonly double[] _delta;
        private readonly double _largest;

        public DiffStyle(long[] before, FlameLayout layout, long beforeTotal, bool normalize)
        {
            _before = before;
            _layout = layout;
            _beforeTotal = beforeTotal;
            _normalize = normalize;
            _delta = new double[before.Length];
            for (var i = 0; i < before.Length; i++)
            {
                var after = layout.Rects[i].Width;
                _delta[i] = normalize
                    ? Share(after, layout.Total) - Share(before[i], beforeTotal)
                    : after - before[i];
                _largest = Math.Max(_largest, Math.Abs(_delta[i]));
            }
        }

        public double Delta(int rectIndex) => _delta[rectIndex];

        public string Fill(int rectIndex) =>
            FrameColors.ForChange(_delta[rectIndex], _largest == 0 ? 0 : Math.Abs(_delta[rectIndex]) / _largest);

        public void WriteDetails(SvgWriter svg, int rectIndex)
        {
            var after = _layout.Rects[rectIndex].Width;
            var before = _before[rectIndex];
            var change = _normalize
                ? string.Create(CultureInfo.InvariantCulture, $"{_delta[rectIndex] * 100:+0.00;-0.00;0.00} percentage points")
                : string.Create(CultureInfo.InvariantCulture, $"{_delta[rectIndex]:+0;-0;0} samples");
            svg.Escaped(string.Create(
                CultureInfo.InvariantCulture,
                $"before {Share(before, _beforeTotal) * 100:0.00}% ({before:N0}), after {Share(after, _layout.Total) * 100:0.00}% ({after:N0}), change {change}"));
        }

        private static double Share(long samples, long total) => total == 0 ? 0 : (double)samples / total;
    }
}
