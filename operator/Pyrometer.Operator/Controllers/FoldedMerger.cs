using System.Globalization;
using System.Text;

namespace Pyrometer.Operator.Controllers;

/// <summary>
/// Merges folded profiles (<c>frame;frame;frame COUNT</c> per line) by summing counts of identical stacks. Output is
/// sorted ordinally so the same inputs always give the same bytes.
/// </summary>
internal static class FoldedMerger
{
    public static async Task<int> MergeAsync(IEnumerable<Stream> inputs, Stream output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(output);
        var counts = new SortedDictionary<string, long>(StringComparer.Ordinal);
        foreach (var input in inputs)
        {
            using var reader = new StreamReader(input, Encoding.UTF8, leaveOpen: true);
            var number = 0;
            while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
            {
                number++;
                if (line.Length == 0)
                {
                    continue;
                }
                var space = line.LastIndexOf(' ');
                if (space <= 0 || !long.TryParse(line.AsSpan(space + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var count))
                {
                    throw new FormatException(string.Create(CultureInfo.InvariantCulture, $"Folded line {number} has no trailing sample count: '{line}'."));
                }
                var stack = line[..space];
                counts[stack] = counts.GetValueOrDefault(stack) + count;
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
