using Pyrometer.Rendering.Model;

namespace Pyrometer.Rendering.FlameGraph;

/// <summary>
/// Places every frame of a canonical profile, in sample units. Because stacks are sorted, the stacks under
/// one node are a contiguous range and its children are runs inside it, so no call tree is built. Children
/// narrower than the threshold are merged into one box per parent at its right end, so widths still add up.
/// </summary>
internal sealed class FlameLayout
{
    public const int RootFrame = -1;
    public const int MergedFrame = -2;

    private readonly Profile _profile;
    private readonly long[] _before;   // _before[i] = samples of stacks 0 .. i-1
    private readonly double _minSamples;
    private readonly List<int> _scratch = [];

    private FlameLayout(Profile profile, double minSamples)
    {
        _profile = profile;
        _minSamples = minSamples;
        _before = new long[profile.StackCount + 1];
        for (var i = 0; i < profile.StackCount; i++)
        {
            _before[i + 1] = _before[i] + profile.GetCount(i);
        }
    }

    public List<FlameRect> Rects { get; } = [];

    public List<int> MergedFrames { get; } = [];

    public int MaxDepth { get; private set; }

    public long Total => _profile.TotalSamples;

    /// <summary>Lays out <paramref name="profile"/>; children below <paramref name="minSamples"/> samples are merged.</summary>
    public static FlameLayout Compute(Profile profile, double minSamples)
    {
        ArgumentNullException.ThrowIfNull(profile);
        var layout = new FlameLayout(profile, minSamples);
        if (!profile.IsEmpty)
        {
            layout.Rects.Add(new FlameRect(0, 0, profile.TotalSamples, RootFrame, -1, 0, 0));
            layout.Place(0, profile.StackCount, 0, 0, 0);
        }
        return layout;
    }

    private void Place(int lo, int hi, int depth, long start, int parent)
    {
        var cursor = start;
        var i = lo;
        while (i < hi && _profile.GetStack(i).Length == depth)
        {
            cursor += _profile.GetCount(i);   // samples that end in the parent: its self time, drawn first
            i++;
        }

        long merged = 0;
        var scratchStart = _scratch.Count;
        while (i < hi)
        {
            var frame = _profile.GetStack(i)[depth];
            var j = i + 1;
            while (j < hi && _profile.GetStack(j)[depth] == frame)
            {
                j++;
            }
            var width = _before[j] - _before[i];
            if (width >= _minSamples)
            {
                var index = Rects.Count;
                Rects.Add(new FlameRect(depth + 1, cursor, width, frame, parent, 0, 0));
                MaxDepth = Math.Max(MaxDepth, depth + 1);
                Place(i, j, depth + 1, cursor, index);
                cursor += width;
            }
            else
            {
                merged += width;
                _scratch.Add(frame);
            }
            i = j;
        }

        if (merged > 0)
        {
            var count = _scratch.Count - scratchStart;
            Rects.Add(new FlameRect(depth + 1, cursor, merged, MergedFrame, parent, MergedFrames.Count, count));
            MaxDepth = Math.Max(MaxDepth, depth + 1);
            for (var k = scratchStart; k < _scratch.Count; k++)
            {
                MergedFrames.Add(_scratch[k]);
            }
        }
        _scratch.RemoveRange(scratchStart, _scratch.Count - scratchStart);
    }
}
