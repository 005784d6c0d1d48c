namespace Pyrometer.Rendering.Model;

/// <summary>
/// What the sampler feeds: intern each frame once, then add stacks as spans of frame ids, root first.
/// Adding a stack seen before allocates nothing. Not thread-safe: one builder per sampling loop.
/// </summary>
public sealed class ProfileBuilder
{
    private readonly Dictionary<Frame, int> _ids = [];
    private readonly List<Frame> _frames = [];
    private FrameKind[] _kinds = new FrameKind[256];   // beside the frames so checking a stack touches no Frame objects
    private readonly StackTable _stacks = new();

    /// <summary>Distinct frames interned so far.</summary>
    internal int FrameCount => _frames.Count;

    /// <summary>Distinct stacks added so far.</summary>
    public int StackCount => _stacks.Count;

    /// <summary>Samples added so far.</summary>
    public long TotalSamples { get; private set; }

    /// <summary>Returns the id of the frame, adding it on first sight.</summary>
    internal int Intern(Frame frame)
    {
        ArgumentNullException.ThrowIfNull(frame);
        if (!_ids.TryGetValue(frame, out var id))
        {
            id = _frames.Count;
            _frames.Add(frame);
            _ids.Add(frame, id);
            if (id == _kinds.Length)
            {
                Array.Resize(ref _kinds, id * 2);
            }
            _kinds[id] = frame.Kind;
        }
        return id;
    }

    /// <summary>The id of a Python frame (see <see cref="Frame.Python"/>).</summary>
    public int InternPython(string function, string file, int line, int functionLine = 0) => Intern(Frame.Python(function, file, line, functionLine));

    /// <summary>The id of a process pseudo-frame.</summary>
    public int InternProcess(int pid, string command) => Intern(Frame.Process(pid, command));

    /// <summary>The id of a thread pseudo-frame.</summary>
    public int InternThread(long threadId, string name) => Intern(Frame.Thread(threadId, name));

    /// <summary>The frame with id <paramref name="id"/>.</summary>
    public Frame GetFrame(int id) => _frames[id];

    /// <summary>
    /// Adds <paramref name="weight"/> samples of one stack: frame ids, root first. A process pseudo-frame
    /// may only come first, a thread pseudo-frame first or right after the process.
    /// </summary>
    public void AddSample(ReadOnlySpan<int> stack, long weight = 1) => AddSampleIndexed(stack, weight);

    /// <summary>
    /// <see cref="AddSample"/>, returning the stack's index: a caller that sees the same stack again
    /// can add to it with <see cref="AddSampleAt"/> without rebuilding and hashing its frame ids.
    /// </summary>
    public int AddSampleIndexed(ReadOnlySpan<int> stack, long weight = 1)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(weight);
        if (stack.IsEmpty)
        {
            throw new ArgumentException("A sample needs at least one frame.", nameof(stack));
        }
        var count = (uint)_frames.Count;
        var kinds = _kinds;
        for (var depth = 0; depth < stack.Length; depth++)
        {
            var id = stack[depth];
            if ((uint)id >= count)
            {
                throw new ArgumentOutOfRangeException(nameof(stack), id, $"Frame id at depth {depth} was never interned.");
            }
            var kind = kinds[id];
            if (kind != FrameKind.Python
                && ((kind == FrameKind.Process && depth != 0)
                    || (kind == FrameKind.Thread && depth != 0 && (depth != 1 || kinds[stack[0]] != FrameKind.Process))))
            {
                throw new ArgumentException($"The {kind} pseudo-frame '{_frames[id].Text}' is at depth {depth}; it belongs at the root.", nameof(stack));
            }
        }
        var index = _stacks.Add(stack, weight);
        TotalSamples += weight;
        return index;
    }

    /// <summary>Adds samples of a stack whose index <see cref="AddSampleIndexed"/> returned.</summary>
    public void AddSampleAt(int stackIndex, long weight = 1)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(weight);
        _stacks.AddTo(stackIndex, weight);
        TotalSamples += weight;
    }

    /// <summary>
    /// Freezes what was added into a canonical <see cref="Profile"/>: frames in ordinal order of their
    /// text, stacks in order of their frames, so the same samples give the same profile whatever order
    /// they arrived in. The builder can keep collecting afterwards.
    /// </summary>
    public Profile Build(ProfileMetadata metadata) => Build(metadata, null);

    /// <summary>
    /// <see cref="Build(ProfileMetadata)"/>, with the order of the samples that <paramref name="timeline"/> kept
    /// (it was fed this builder's stack indices) attached as <see cref="Profile.Timeline"/>.
    /// </summary>
    public Profile Build(ProfileMetadata metadata, TimelineRecorder? timeline)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        var order = new int[_frames.Count];
        for (var i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }
        Array.Sort(order, (a, b) => CompareFrames(_frames[a], _frames[b]));
        var frames = new Frame[order.Length];
        var rank = new int[order.Length];
        for (var i = 0; i < order.Length; i++)
        {
            frames[i] = _frames[order[i]];
            rank[order[i]] = i;
        }

        var stackCount = _stacks.Count;
        var remapped = new int[stackCount][];
        for (var i = 0; i < stackCount; i++)
        {
            var stack = _stacks.GetStack(i);
            var copy = new int[stack.Length];
            for (var d = 0; d < stack.Length; d++)
            {
                copy[d] = rank[stack[d]];
            }
            remapped[i] = copy;
        }
        var stackOrder = new int[stackCount];
        for (var i = 0; i < stackCount; i++)
        {
            stackOrder[i] = i;
        }
        Array.Sort(stackOrder, (a, b) => remapped[a].AsSpan().SequenceCompareTo(remapped[b]));

        var totalFrames = 0;
        foreach (var stack in remapped)
        {
            totalFrames += stack.Length;
        }
        var pool = new int[totalFrames];
        var offsets = new int[stackCount + 1];
        var counts = new long[stackCount];
        var at = 0;
        for (var i = 0; i < stackCount; i++)
        {
            var source = stackOrder[i];
            offsets[i] = at;
            remapped[source].CopyTo(pool, at);
            at += remapped[source].Length;
            counts[i] = _stacks.GetCount(source);
        }
        offsets[stackCount] = at;
        if (timeline is null)
        {
            return new Profile(metadata, frames, pool, offsets, counts);
        }
        var canonical = new int[stackCount];
        for (var i = 0; i < stackCount; i++)
        {
            canonical[stackOrder[i]] = i;
        }
        return new Profile(metadata, frames, pool, offsets, counts, timeline.Build(canonical));
    }

    internal static int CompareFrames(Frame a, Frame b)
    {
        var result = string.CompareOrdinal(a.Text, b.Text);
        if (result == 0)
        {
            result = a.Kind.CompareTo(b.Kind);
        }
        if (result == 0)
        {
            result = a.Number.CompareTo(b.Number);
        }
        if (result == 0)
        {
            result = string.CompareOrdinal(a.File, b.File);
        }
        return result != 0 ? result : string.CompareOrdinal(a.Name, b.Name);
    }
}
