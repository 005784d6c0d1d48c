namespace Pyrometer.Rendering.Model;

/// <summary>
/// An immutable, canonical profile: frames sorted ordinally by text (a frame's id is its rank), unique
/// stacks sorted by their frame ids, each with its sample count. Made by <see cref="ProfileBuilder.Build(ProfileMetadata)"/>.
/// </summary>
public sealed class Profile
{
    private readonly Frame[] _frames;
    private readonly int[] _pool;
    private readonly int[] _offsets;
    private readonly long[] _counts;

    internal Profile(ProfileMetadata metadata, Frame[] frames, int[] pool, int[] offsets, long[] counts, Timeline? timeline = null)
    {
        Metadata = metadata;
        Timeline = timeline;
        _frames = frames;
        _pool = pool;
        _offsets = offsets;
        _counts = counts;
        long total = 0;
        foreach (var count in counts)
        {
            total += count;
        }
        TotalSamples = total;
    }

    /// <summary>Where and how the samples were taken.</summary>
    public ProfileMetadata Metadata { get; }

    /// <summary>The order the samples were taken in, per thread, when it was recorded (a live recording); null otherwise.</summary>
    public Timeline? Timeline { get; }

    /// <summary>The distinct frames; a stack holds indexes into this list.</summary>
    public IReadOnlyList<Frame> Frames => _frames;

    /// <summary>The number of distinct stacks.</summary>
    public int StackCount => _counts.Length;

    /// <summary>All samples, over every stack.</summary>
    public long TotalSamples { get; }

    /// <summary>Whether no sample was taken.</summary>
    public bool IsEmpty => TotalSamples == 0;

    /// <summary>A profile without samples.</summary>
    public static Profile Empty(ProfileMetadata metadata) => new ProfileBuilder().Build(metadata);

    /// <summary>The frame ids of stack <paramref name="index"/>, root first.</summary>
    public ReadOnlySpan<int> GetStack(int index) => _pool.AsSpan(_offsets[index], _offsets[index + 1] - _offsets[index]);

    /// <summary>The samples of stack <paramref name="index"/>.</summary>
    public long GetCount(int index) => _counts[index];

    /// <summary>The frame with id <paramref name="id"/>.</summary>
    public Frame GetFrame(int id) => _frames[id];

    /// <summary>The same stacks and frames with other metadata (e.g. a target name for a loaded file).</summary>
    internal Profile WithMetadata(ProfileMetadata metadata) => new(metadata, _frames, _pool, _offsets, _counts, Timeline);
}
