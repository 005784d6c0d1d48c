using System.Globalization;
using System.Text;
using Pyrometer.Rendering.Folded;

namespace Pyrometer.Operator.Controllers;

/// <summary>
/// Merges folded profiles (<c>frame;frame;frame COUNT</c> per line, parsed by Rendering's <see cref="FoldedLineReader"/>)
/// by summing counts of identical stacks. Output is sorted ordinally so the same inputs always give the same bytes.
/// </summary>
internal static class FoldedMerger
{
    /// <summary>Writes the merged stacks to <paramref name="output"/> and returns how many there are.</summary>
    /// <exception cref="FormatException">An input is not folded text; the message names the line.</exception>
    public static async Task<int> MergeAsync(IEnumerable<Stream> inputs, Stream output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(output);
        var counts = new SortedDictionary<string, long>(StringComparer.Ordinal);
        // Over all inputs, so that the merged profile stays readable (its reader refuses the same overflow); it also
        // bounds every stack's sum.
        var total = 0L;
        foreach (var input in inputs)
        {
            using var reader = new StreamReader(input, Encoding.UTF8, leaveOpen: true);
            var lines = new FoldedLineReader(reader);
            while (await lines.ReadAsync(cancellationToken).ConfigureAwait(false) is { } line)
            {
                total = FoldedLineReader.AddCount(total, line);
                counts[line.Stack] = counts.GetValueOrDefault(line.Stack) + line.Count;
            }
        }
        var writer = new StreamWriter(output, new UTF8Encoding(false), leaveOpen: true);
        await using (writer.ConfigureAwait(false))
        {
            foreach (var (stack, count) in counts)
            {
                await writer.WriteAsync(stack.AsMemory(), cancellationToken).ConfigureAwait(false);
                await writer.WriteAsync(' ').ConfigureAwait(false);
                await writer.WriteLineAsync(count.ToString(CultureInfo.InvariantCulture).AsMemory(), cancellationToken).ConfigureAwait(false);
            }
        }
        return counts.Count;
    }
}
