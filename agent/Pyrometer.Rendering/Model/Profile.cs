namespace Pyrometer.Rendering.Model;

/// <summary>
/// An immutable, canonical profile: frames sorted ordinally by text (a frame's id is its rank), unique
/// stacks sorted by their frame ids, each with its sample count. Made by <see cref="ProfileBuilder.Build"/>.
/// </summary>
internal sealed class Profile
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

    public ProfileMetadata Metadata { get; }

    /// <summary>The order the samples were taken in, per thread, when it was recorded (a live recording); null otherwise.</summary>
    public Timeline? Timeline { get; }

    public IReadOnlyList<Frame> Frames => _frames;

    public int StackCount => _counts.Length;

    public long TotalSamples { get; }

    public bool IsEmpty => TotalSamples == 0;

    public static Profile Empty(ProfileMetadata metadata) => new ProfileBuilder().Build(metadata);

    public ReadOnlySpan<int> GetStack(int index) => _pool.AsSpan(_offsets[index], _offsets[index + 1] - _offsets[index]);

    public long GetCount(int index) => _counts[index];

    public Frame GetFrame(int id) => _frames[id];

    /// <summary>The same stacks and frames with other metadata (e.g. a target name for a loaded file).</summary>
    public Profile WithMetadata(ProfileMetadata metadata) => new(metadata, _frames, _pool, _offsets, _counts, Timeline);
}
