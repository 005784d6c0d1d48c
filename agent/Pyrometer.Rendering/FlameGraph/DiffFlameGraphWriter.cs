using System.Globalization;
using Pyrometer.Rendering.Comparison;
using Pyrometer.Rendering.Model;

namespace Pyrometer.Rendering.FlameGraph;

/// <summary>
/// A differential flame graph: the shape of AFTER (or of BEFORE), each box coloured by how the share of the same
/// call path changed from BEFORE to AFTER: red grew, blue shrank, stronger for bigger changes, grey unchanged.
/// AFTER's shape shows what is new; BEFORE's shows what went away, which has no box in AFTER. Frames match by
/// function and file unless <see cref="DiffOptions.ByLine"/>; a short grew/shrank table sits in the header.
/// </summary>
public static class DiffFlameGraphWriter
{
    /// <summary>Writes a differential flame graph of <paramref name="before"/> and <paramref name="after"/> as SVG to <paramref name="output"/>.</summary>
    public static void Write(Profile before, Profile after, Stream output, DiffOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        ArgumentNullException.ThrowIfNull(output);
        options ??= DiffOptions.Default;
        options.Validate();
        var drawing = options.FlameGraph;
        if (!options.ByLine)
        {
            before = LineFolding.WithoutLines(before);
            after = LineFolding.WithoutLines(after);
        }
        var afterShape = options.Shape == DiffShape.After;
        var (shape, other) = afterShape ? (after, before) : (before, after);
        var layout = FlameLayout.Compute(shape, FlameSvgDocument.MinSamples(drawing, shape.TotalSamples));
        var style = new DiffStyle(OtherSamples(other, shape, layout), layout, other.TotalSamples, afterShape, options.Normalize);
        var title = drawing.Title.Length > 0 ? drawing.Title : $"Pyrometer diff: {Name(before)} → {Name(after)}";
        var subtitle = string.Create(
            CultureInfo.InvariantCulture,
            $"{(afterShape ? "AFTER's shape (what grew or is new)" : "BEFORE's shape (what shrank or went away)")} | before {before.TotalSamples:N0} samples | after {after.TotalSamples:N0} samples | by {(options.ByLine ? "line" : "function")} | red grew, blue shrank ({(options.Normalize ? "share of each profile's samples" : "sample counts")})");
        var table = options.TableRows > 0 ? new ChangesHeader(ProfileComparison.Compare(before, after), options.TableRows) : null;
        FlameSvgDocument.Write(output, drawing, title, subtitle, shape, layout, style, table);
    }

    /// <summary>For every box of the layout of <paramref name="shape"/>, the samples <paramref name="other"/> had on the same call path.</summary>
    internal static long[] OtherSamples(Profile other, Profile shape, FlameLayout layout)
    {
        var otherIds = new Dictionary<Frame, int>();
        for (var id = 0; id < other.Frames.Count; id++)
        {
            otherIds[other.GetFrame(id)] = id;
        }
        var toOther = new int[shape.Frames.Count];
        for (var id = 0; id < toOther.Length; id++)
        {
            toOther[id] = otherIds.TryGetValue(shape.GetFrame(id), out var match) ? match : -1;
        }

        // The other profile as a call tree: node 0 is the root; children keyed by (parent node, frame id).
        // Stacks are sorted, so each shares a prefix with the one before: its nodes are reused without lookups.
        var children = new Dictionary<long, int>();   // key: parent node << 32 | frame id
        var totals = new List<long> { other.TotalSamples };
        var path = new List<int>();                   // the previous stack's node at each depth
        var previous = ReadOnlySpan<int>.Empty;
        for (var i = 0; i < other.StackCount; i++)
        {
            var stack = other.GetStack(i);
            var count = other.GetCount(i);
            var shared = stack.CommonPrefixLength(previous);
            path.RemoveRange(shared, path.Count - shared);
            var node = shared == 0 ? 0 : path[shared - 1];
            for (var d = shared; d < stack.Length; d++)
            {
                var key = Key(node, stack[d]);
                if (!children.TryGetValue(key, out var child))
                {
                    child = totals.Count;
                    totals.Add(0);
                    children.Add(key, child);
                }
                path.Add(child);
                node = child;
            }
            foreach (var onPath in path)
            {
                totals[onPath] += count;
            }
            previous = stack;
        }

        var nodes = new int[layout.Rects.Count];
        var samples = new long[layout.Rects.Count];
        for (var r = 0; r < layout.Rects.Count; r++)
        {
            var rect = layout.Rects[r];
            if (rect.Frame == FlameLayout.RootFrame)
            {
                nodes[r] = 0;
                samples[r] = other.TotalSamples;
                continue;
            }
            var parent = nodes[rect.Parent];
            if (rect.Frame == FlameLayout.MergedFrame)
            {
                nodes[r] = -1;
                for (var k = rect.MergedStart; k < rect.MergedStart + rect.MergedCount; k++)
                {
                    samples[r] += ChildTotal(parent, toOther[layout.MergedFrames[k]]);
                }
                continue;
            }
            nodes[r] = parent >= 0 && toOther[rect.Frame] >= 0 && children.TryGetValue(Key(parent, toOther[rect.Frame]), out var node) ? node : -1;
            samples[r] = nodes[r] >= 0 ? totals[nodes[r]] : 0;
        }
        return samples;

        long ChildTotal(int parent, int frame) =>
            parent >= 0 && frame >= 0 && children.TryGetValue(Key(parent, frame), out var child) ? totals[child] : 0;

        static long Key(int parent, int frame) => ((long)parent << 32) | (uint)frame;
    }

    private static string Name(Profile profile) => profile.Metadata.Target.Length > 0 ? profile.Metadata.Target : "?";

    private sealed class DiffStyle : IFrameStyle
    {
        private readonly long[] _other;
        private readonly FlameLayout _layout;
        private readonly long _otherTotal;
        private readonly bool _afterShape;
        private readonly bool _normalize;
        private readonly double[] _delta;
        private readonly double _largest;

        /// <param name="other">Per box, the samples of the profile whose shape is not drawn.</param>
        /// <param name="afterShape">Whether the boxes are AFTER's (else BEFORE's); the change is always AFTER minus BEFORE.</param>
        /// <param name="layout">The boxes drawn.</param>
        /// <param name="otherTotal">All samples of the profile whose shape is not drawn.</param>
        /// <param name="normalize">Whether changes are of each profile's share rather than of raw counts.</param>
        public DiffStyle(long[] other, FlameLayout layout, long otherTotal, bool afterShape, bool normalize)
        {
            _other = other;
            _layout = layout;
            _otherTotal = otherTotal;
            _afterShape = afterShape;
            _normalize = normalize;
            _delta = new double[other.Length];
            for (var i = 0; i < other.Length; i++)
            {
                var (before, beforeTotal, after, afterTotal) = Sides(i);
                _delta[i] = normalize ? Share(after, afterTotal) - Share(before, beforeTotal) : after - before;
                _largest = Math.Max(_largest, Math.Abs(_delta[i]));
            }
        }

        public string Fill(int rectIndex) =>
            FrameColors.ForChange(_delta[rectIndex], _largest == 0 ? 0 : Math.Abs(_delta[rectIndex]) / _largest);

        public void WriteDetails(SvgWriter svg, int rectIndex)
        {
            var (before, beforeTotal, after, afterTotal) = Sides(rectIndex);
            var change = _normalize
                ? string.Create(CultureInfo.InvariantCulture, $"{_delta[rectIndex] * 100:+0.00;-0.00;0.00} percentage points")
                : string.Create(CultureInfo.InvariantCulture, $"{_delta[rectIndex]:+0;-0;0} samples");
            svg.Escaped(string.Create(
                CultureInfo.InvariantCulture,
                $"before {Share(before, beforeTotal) * 100:0.00}% ({before:N0}), after {Share(after, afterTotal) * 100:0.00}% ({after:N0}), change {change}"));
        }

        private (long Before, long BeforeTotal, long After, long AfterTotal) Sides(int rectIndex)
        {
            var drawn = _layout.Rects[rectIndex].Width;
            return _afterShape
                ? (_other[rectIndex], _otherTotal, drawn, _layout.Total)
                : (drawn, _layout.Total, _other[rectIndex], _otherTotal);
        }

        private static double Share(long samples, long total) => total == 0 ? 0 : (double)samples / total;
    }
}
