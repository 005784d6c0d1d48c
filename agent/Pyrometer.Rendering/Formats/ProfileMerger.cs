using System.Globalization;
using System.Text;
using Pyrometer.Rendering.Folded;
using Pyrometer.Rendering.Model;

namespace Pyrometer.Rendering.Formats;

/// <summary>
/// Merges profiles of one workload (one per pod or per process, folded text or gzipped pprof each) into one: the
/// counts of identical stacks are summed. The stacks are merged as folded text in ordinal order, so the same inputs
/// always give the same profile, whatever order they come in.
/// </summary>
public static class ProfileMerger
{
    /// <summary>Reads every input to its end (none is disposed) and returns the merged profile.</summary>
    /// <param name="profiles">Folded text or gzipped pprof, told apart as <see cref="ProfileLoader"/> does.</param>
    /// <param name="name">The merged profile's target, e.g. <c>namespace/request</c>.</param>
    /// <param name="maxBytes">The most bytes read over all inputs, and the most a pprof input may inflate to.</param>
    /// <param name="cancellationToken">Stops reading.</param>
    /// <exception cref="ProfileFormatException">An input is not a profile, or the counts add up past <see cref="long.MaxValue"/>; the message says where.</exception>
    /// <exception cref="ProfileTooLargeException">The inputs are over <paramref name="maxBytes"/>.</exception>
    public static async Task<Profile> MergeAsync(IEnumerable<Stream> profiles, string name, long maxBytes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(profiles);
        ArgumentNullException.ThrowIfNull(name);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxBytes);
        var counts = new SortedDictionary<string, long>(StringComparer.Ordinal);
        // Over all inputs, so that the merged profile stays readable (its reader refuses the same overflow); it also
        // bounds every stack's sum.
        var total = 0L;
        var budget = maxBytes;
        foreach (var input in profiles)
        {
            var bytes = await BoundedCopy.ReadAllAsync(input, budget, maxBytes, cancellationToken).ConfigureAwait(false);
            budget -= bytes.Length;
            using var reader = new StreamReader(AsFolded(bytes, name, maxBytes), Encoding.UTF8);
            var lines = new FoldedLineReader(reader);
            while (await lines.ReadAsync(cancellationToken).ConfigureAwait(false) is { } line)
            {
                total = FoldedLineReader.AddCount(total, line);
                counts[line.Stack] = counts.GetValueOrDefault(line.Stack) + line.Count;
            }
        }
        using var merged = new MemoryStream();
        using (var writer = new StreamWriter(merged, new UTF8Encoding(false), leaveOpen: true))
        {
            foreach (var (stack, count) in counts)
            {
                writer.Write(stack);
                writer.Write(' ');
                writer.Write(count.ToString(CultureInfo.InvariantCulture));
                writer.Write('\n');
            }
        }
        merged.Position = 0;
        return ProfileLoader.Load(merged, name);
    }

    /// <summary>A pprof input as folded text (its stacks and counts); folded text as it is.</summary>
    private static MemoryStream AsFolded(byte[] bytes, string name, long maxBytes)
    {
        var input = new MemoryStream(bytes, writable: false);
        if (ProfileLoader.Detect(bytes) != InputFormat.Pprof)
        {
            return input;
        }
        var folded = new MemoryStream();
        OutputFormats.Folded.Write(ProfileLoader.Load(input, name, maxBytes), folded);
        folded.Position = 0;
        return folded;
    }
}
